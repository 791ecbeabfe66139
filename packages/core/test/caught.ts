/** The error `body` throws (fails the test when it throws nothing). */
export function caught(body: () => unknown): any {
  try {
    body()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}
