/**
 * Types of `all`, `allSettled` and `map`, checked by `tsc` (the package's typecheck), never run:
 * every `@ts-expect-error` must meet an error, every `expectTypeOf` must match.
 */
import { expectTypeOf } from 'vitest'
import type { Runner } from '../src/index.js'

interface Tasks {
  fetchText(url: string): Promise<string>
  add(a: number, b: number): Promise<number>
  parse(text: string, strict?: boolean): Promise<{ ok: boolean }>
  syncLength(text: string): number
  lines(file: string): AsyncGenerator<string>
  notATask: number
}

export function typedBatches(runner: Runner<Tasks>): void {
  // A tuple of calls gives a tuple of results, in order.
  expectTypeOf(
    runner.all([
      ['fetchText', 'https://example.com'],
      ['add', 1, 2],
      ['syncLength', 'abc'],
    ]),
  ).toEqualTypeOf<[string, number, number]>()

  // An array of calls built at run time gives an array of results.
  const calls: ['add', number, number][] = [['add', 1, 2]]
  expectTypeOf(runner.all(calls)).toEqualTypeOf<number[]>()

  expectTypeOf(
    runner.allSettled([
      ['fetchText', 'https://example.com'],
      ['parse', '{}', true],
    ]),
  ).toEqualTypeOf<[PromiseSettledResult<string>, PromiseSettledResult<{ ok: boolean }>]>()

  expectTypeOf(runner.map('fetchText', ['a', 'b'])).toEqualTypeOf<string[]>()
  expectTypeOf(runner.map('parse', new Set(['{}']), { concurrency: 2 })).toEqualTypeOf<
    { ok: boolean }[]
  >()

  // @ts-expect-error wrong argument type
  runner.all([['add', 1, 'two']])
  // @ts-expect-error missing argument
  runner.all([['add', 1]])
  // @ts-expect-error no such task
  runner.all([['nope']])
  // @ts-expect-error not a function
  runner.all([['notATask']])
  // @ts-expect-error async generators are stepped with iterate(), not batched
  runner.allSettled([['lines', 'a.txt']])
  // @ts-expect-error map() gives each task one argument: `add` needs two
  runner.map('add', [1, 2])
  // @ts-expect-error inputs of the wrong type
  runner.map('fetchText', [1, 2])
  // @ts-expect-error unknown option
  runner.map('fetchText', ['a'], { concurency: 2 })
}

export function untypedBatches(runner: Runner): void {
  expectTypeOf(runner.all([['anything', 1, 'x']])).toEqualTypeOf<[any]>()
  expectTypeOf(runner.map('anything', [1, 2])).toEqualTypeOf<any[]>()
}
