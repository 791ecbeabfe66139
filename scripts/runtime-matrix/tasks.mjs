// The tasks module the probe runs each available backend with.
let count = 0
export async function bump() {
  count += 1
  return count
}
