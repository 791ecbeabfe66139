/**
 * A frame of the native stack V8 prints after a fatal error (` 12: 0x110bbe6  [/usr/bin/node]`).
 * Node 26 prints twenty-odd of them after `FATAL ERROR: ... heap out of memory`, enough to push
 * the one line that says what happened out of a crash report's tail; they tell a user nothing.
 */
const nativeFrame = /^\s*\d+: 0x[0-9a-f]+\b/

/** The last `lines` lines of a child's stderr once `chunk` arrived, without native stack frames. */
export function appendToTail(tail: string, chunk: string, lines: number): string {
  const all = (tail + chunk).split('\n')
  // The last line may still be arriving: judged once it is whole.
  const last = all.pop()!
  return [...all.filter((line) => !nativeFrame.test(line)), last].slice(-lines - 1).join('\n')
}
