const { createSchema, placeOrder, placeOrders, totalFor } = require('./orders.cjs')

createSchema()
console.log('order', placeOrder('ada', 12.5))
placeOrders('ada', [7.25, 0.25])
console.log('ada spent', totalFor('ada'))

try {
  placeOrders('bob', [10, -1]) // the CHECK fails: the whole transaction is rolled back
} catch (error) {
  console.log(`rolled back: ${error.message} (SQLSTATE ${error.code})`)
}
console.log('bob spent', totalFor('bob'))
