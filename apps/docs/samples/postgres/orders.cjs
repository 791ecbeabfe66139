// Legacy synchronous code, unchanged in shape: it now talks to PostgreSQL through pg.
const { query, transaction } = require('./db.cjs')

function createSchema() {
  query(`CREATE TABLE IF NOT EXISTS orders (
    id serial PRIMARY KEY,
    customer text NOT NULL,
    total numeric(10, 2) NOT NULL CHECK (total >= 0),
    placed_at timestamptz NOT NULL DEFAULT now()
  )`)
}

function placeOrder(customer, total) {
  const [order] = query('INSERT INTO orders (customer, total) VALUES ($1, $2) RETURNING id', [
    customer,
    total,
  ])
  return order.id
}

function totalFor(customer) {
  const [row] = query('SELECT coalesce(sum(total), 0) AS total FROM orders WHERE customer = $1', [
    customer,
  ])
  return row.total // numeric comes back as a string: exact, never a float
}

function placeOrders(customer, totals) {
  return transaction(
    totals.map((total) => [
      'INSERT INTO orders (customer, total) VALUES ($1, $2)',
      [customer, total],
    ]),
  )
}

module.exports = { createSchema, placeOrder, totalFor, placeOrders }
