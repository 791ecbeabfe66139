// The PostgreSQL recipe against a real server: Debian's postgresql package, started here.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPostgres } from './postgres-server.mjs'
import { runNode, sampleOutput, samplesDir } from './run-sample.mjs'

const cwd = path.join(samplesDir, 'postgres')

describe('recipe: PostgreSQL from legacy sync code', () => {
  let server
  beforeAll(async () => {
    server = await startPostgres() // throws, with the reason, when PostgreSQL is not installed
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('main.cjs: inserts, a transaction, a rolled-back transaction', async () => {
    expect(await sampleOutput(['main.cjs'], { cwd, env: server.env })).toEqual([
      'order 1',
      'ada spent 20.00',
      'rolled back: new row for relation "orders" violates check constraint "orders_total_check" (SQLSTATE 23514)',
      'bob spent 0',
    ])
  })

  it("pg's own error reaches the sync caller with its properties", async () => {
    const script = `
      const { query } = require('./db.cjs')
      try { query('SELECT 1/0') } catch (e) { console.log(JSON.stringify({ code: e.code, severity: e.severity, routine: e.routine })) }
      console.log(JSON.stringify(query('SELECT $1::int + 1 AS n, now() AS at', [41]).map((r) => [r.n, r.at instanceof Date])))
    `
    const result = await runNode(['-e', script], { cwd, env: server.env })
    expect(result.stderr).toBe('')
    const [error, rows] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(error).toEqual({ code: '22012', severity: 'ERROR', routine: 'int4div' })
    expect(rows).toEqual([[42, true]])
  })
})
