/**
 * Median of a non-empty list.
 * @param {number[]} values
 */
export function median(values) {
  if (values.length === 0) throw new Error('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Spread of the rounds around their median, robust to one bad round: the median absolute
 * deviation scaled to a standard deviation (× 1.4826), as a percentage of the median's size.
 * `±5` means the rounds scatter by about ±5 % of the figure. 0 for a single round.
 * @param {number[]} values
 */
export function spreadPercent(values) {
  if (values.length < 2) return 0
  const mid = median(values)
  if (mid === 0) return 0
  const mad = median(values.map((value) => Math.abs(value - mid)))
  return ((1.4826 * mad) / Math.abs(mid)) * 100
}
