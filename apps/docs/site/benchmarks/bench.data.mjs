// Build-time data for the Benchmarks page: apps/bench/results/latest.json, with every figure in
// its workload's own unit (startup in ms and MB of RSS, not µs per call) and chart positions.
import { readFileSync } from 'node:fs'
import { benchView } from '../.vitepress/bench-view.mjs'

export default {
  watch: ['../../../bench/results/latest.json'],
  load(files) {
    if (files.length === 0) return { available: false }
    return benchView(JSON.parse(readFileSync(files[0], 'utf8')))
  },
}
