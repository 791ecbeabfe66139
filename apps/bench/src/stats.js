export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Spread of the rounds as ± percent of the median (half the min–max range). */
export function spreadPercent(values) {
  if (values.length < 2) return 0
  const mid = median(values)
  if (mid === 0) return 0
  return ((Math.max(...values) - Math.min(...values)) / 2 / mid) * 100
}
