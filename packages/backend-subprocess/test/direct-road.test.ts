import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import type { Socket } from 'node:net'
import { Worker } from 'node:worker_threads'
import type { DirectRoad } from '@palitra/channel'
import { afterEach, describe, expect, it } from 'vitest'
import { directRoad } from '../src/direct-road.js'
import { closeRoad, kRoadState, kStderrForwarded, openRoad, roadClosed } from '../src/road-slots.js'

const fixture = new URL('./fixtures/road-child.mjs', import.meta.url)
const call = (how: string, value: unknown) => ({
  op: 'call' as const,
  name: 'any',
  args: [how, value],
})
const in5s = () => performance.now() + 5_000

/**
 * Call on the road and follow a hand-over as the session does when the child says the answer is
 * on the road, so a loaded machine (a child slower than the spin) ends in the same outcome.
 */
function callThrough(road: DirectRoad, seq: number, request: ReturnType<typeof call>) {
  const outcome = road.call(seq, request, in5s())
  return outcome && 'handOver' in outcome ? road.collect(seq, in5s()) : outcome
}

describe('the direct road, against a stand-in child', () => {
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGKILL')
    child = undefined
  })

  /** A road to a fresh stand-in child, opened as the relay opens it, once the child is ready. */
  function openTo(): { road: DirectRoad; slots: Int32Array } {
    child = spawn(process.execPath, [fixture.pathname], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    })
    const handle = (child.stdio[3] as Socket & { _handle: { fd: number; readStop(): number } })
      ._handle
    handle.readStop()
    const slots = new Int32Array(new SharedArrayBuffer(12 * 4))
    openRoad(slots, handle.fd)
    const road = directRoad(slots, 250)
    expect(road.collect(0, in5s())).toEqual({ reply: { ok: true, value: 'ready' } })
    return { road, slots }
  }

  it('carries calls and their replies, each to its own number', () => {
    const { road } = openTo()
    const seen: unknown[] = []
    for (let seq = 1; seq <= 500; seq++) {
      seen.push(callThrough(road, seq, call('echo', { seq, text: 'ü'.repeat(seq % 7) })))
    }
    expect(seen).toEqual(
      Array.from({ length: 500 }, (_, i) => ({
        reply: { ok: true, value: { seq: i + 1, text: 'ü'.repeat((i + 1) % 7) } },
      })),
    )
  })

  it('hands over a call not answered within its spin, whose reply is then collected', () => {
    const { road } = openTo()
    expect(road.call(1, call('late', 50), in5s())).toEqual({ handOver: true })
    expect(road.collect(1, in5s())).toEqual({ reply: { ok: true, value: 'late' } })
    expect(callThrough(road, 2, call('echo', 'after'))).toEqual({
      reply: { ok: true, value: 'after' },
    })
  })

  it('hands over at the deadline when it comes before the end of the spin', () => {
    const { road } = openTo()
    expect(road.call(1, call('late', 50), performance.now())).toEqual({ handOver: true })
  })

  it('collects until its deadline, then reports the road stalled rather than handing over again', () => {
    const { road } = openTo()
    expect(road.collect(99, performance.now() + 20)).toEqual({ stalled: true })
  })

  it('reports the child gone when it ends its side of the road', () => {
    const { road } = openTo()
    expect(callThrough(road, 1, call('end', 0))).toEqual({ gone: true })
  })

  it('reports the child gone when it has exited', async () => {
    const { road } = openTo()
    child!.kill('SIGKILL')
    await once(child!, 'exit')
    expect(road.call(1, call('echo', 1), in5s())).toEqual({ gone: true })
  })

  it('takes nothing when the road is closed, or for a request too large for it', () => {
    const { road, slots } = openTo()
    expect(road.call(1, call('echo', 'x'.repeat(70_000)), in5s())).toBeUndefined()
    closeRoad(slots)
    expect(Atomics.load(slots, kRoadState)).toBe(roadClosed)
    expect(road.call(2, call('echo', 1), in5s())).toBeUndefined()
    expect(road.collect(2, in5s())).toEqual({ gone: true })
  })

  it('returns a reply only once the relay has forwarded the stderr its task wrote before it', () => {
    const { road, slots } = openTo()
    // Another thread plays the relay: it marks when it forwards, then counts the bytes.
    const forwardedFirst = new Int32Array(new SharedArrayBuffer(4))
    const relay = new Worker(
      `const { workerData: { slots, forwardedFirst, index } } = require('node:worker_threads')
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
       Atomics.store(forwardedFirst, 0, 1)
       Atomics.store(slots, index, 100)
       Atomics.notify(slots, index)`,
      { eval: true, workerData: { slots, forwardedFirst, index: kStderrForwarded } },
    )
    expect(callThrough(road, 1, call('stderr', 100))).toEqual({
      reply: { ok: true, value: 'after stderr' },
    })
    expect(Atomics.load(forwardedFirst, 0)).toBe(1)
    return relay.terminate()
  })
})
