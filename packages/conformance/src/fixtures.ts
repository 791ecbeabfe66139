/** Where the suite's tasks modules live (published with the package). */
export const fixtures: URL = new URL('../fixtures/', import.meta.url)

/** The tasks module every backend serves in this suite. */
export const conformanceTasks: URL = new URL('tasks.mjs', fixtures)

/** The exports of the fixture tasks module, for typed calls. */
export interface ConformanceTasks {
  notAFunction: number
  inc(n: number): Promise<number>
  bump(): Promise<number>
  echo<T>(value: T): Promise<T>
  syncAdd(a: number, b: number): number
  throwError(kind: string): Promise<never>
  sleep(ms: number): Promise<number>
  recordAbortAfter(ms: number): Promise<boolean>
  lastSignalWasAborted(): Promise<boolean | undefined>
  ignoreSignal(ms: number): Promise<string>
  never(): Promise<never>
  runaway(): Promise<never>
  exitWith(code: number): Promise<never>
  returnsFunction(): Promise<{ ok: boolean; callback: () => number }>
  range(n: number): AsyncGenerator<number>
  wasRangeClosed(): Promise<boolean>
  arrayOf(n: number): Promise<number[]>
  setTeardownMarker(path: string): Promise<void>
  resetBatchStats(): Promise<void>
  batchStats(): Promise<{ inFlight: number; maxInFlight: number; abortedCalls: number }>
  trackedSleep(ms: number): Promise<number>
  failAfter(ms: number): Promise<never>
  teardown(): Promise<void>
}

/** The tasks module of the pool cases: which host serves a call, state per host. */
export const poolTasks: URL = new URL('pool-tasks.mjs', fixtures)

/** The exports of the pool fixture. */
export interface PoolTasks {
  hostId(): Promise<string>
  bump(): Promise<{ host: string; counter: number }>
  hostSteps(n: number): AsyncGenerator<string>
  exitWith(code: number): Promise<never>
  runaway(): Promise<never>
  sleep(ms: number): Promise<number>
  barrier(
    dir: string,
    name: string,
    parties: number,
    limitMs: number,
  ): Promise<{ host: string; passed: boolean }>
  busyBarrier(
    dir: string,
    name: string,
    parties: number,
    limitMs: number,
  ): Promise<{ host: string; passed: boolean }>
  meet(dir: string, name: string, parties: number, limitMs: number): Promise<boolean>
  abortableSleep(dir: string, name: string, ms: number): Promise<number>
  failAfter(ms: number): Promise<never>
  spin(ms: number): Promise<{ host: string; x: number }>
  markerExists(file: string): Promise<boolean>
  setTeardownMarker(dir: string): Promise<void>
  teardown(): Promise<void>
}
