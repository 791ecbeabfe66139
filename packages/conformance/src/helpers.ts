/**
 * Run a blocking body from a macrotask: test runners call tests inside promises, where an
 * in-process backend (deasync) must refuse to block. A `setImmediate` callback is a place every
 * backend can block in.
 */
export function inMacrotask<T>(body: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(body())
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** The error `body` throws (fails the test when it throws nothing), for assertions on it. */
export function caught(body: () => unknown): any {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}
