/**
 * A progress line on stderr: rewritten in place on a terminal, one line per step otherwise.
 * @param {NodeJS.WriteStream} stream
 */
export function progressLine(stream = process.stderr) {
  return {
    /** @param {string} text */
    update(text) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 100) - 1)}`)
      else stream.write(`${text}\n`)
    },
    done() {
      if (stream.isTTY) stream.write('\r\x1b[2K')
    },
  }
}
