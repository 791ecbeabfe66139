// Runs in the runner's host: one connection pool for the life of the runner. pg reads the usual
// PG* environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD).
import pg from 'pg'

const pool = new pg.Pool({ max: 4 })

export async function query(text, params = []) {
  const result = await pool.query(text, params)
  return result.rows
}

/** Runs the statements in one transaction; rolls back and rethrows if one fails. */
export async function transaction(statements) {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const results = []
    for (const [text, params = []] of statements)
      results.push((await client.query(text, params)).rows)
    await client.query('COMMIT')
    return results
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
}

export async function teardown() {
  await pool.end() // runs on close(), and when the process exits
}
