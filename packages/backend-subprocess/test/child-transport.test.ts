import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { HostRequest } from '@palitra/core'
import { afterEach, describe, expect, it } from 'vitest'
import { frameTransport } from '../src/child-transport.js'
import {
  type Frame,
  formatAdopt,
  formatAnsweredOnRoad,
  readFrames,
  sendFrame,
} from '../src/frames.js'
import { decodeValue, encodeValue } from '../src/wire-codec.js'

/** Two connected sockets in this process: `near` is the child's end, `far` the other side's. */
async function socketPair(dir: string, name: string): Promise<{ near: Socket; far: Socket }> {
  const file = path.join(dir, name)
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(file, resolve))
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
  const far = connect(file)
  const near = await accepted
  server.close()
  return { near, far }
}

/** Frames arriving on `socket`, awaited one by one. */
function frameQueue(socket: Socket) {
  const arrived: Frame[] = []
  const waiting: ((frame: Frame) => void)[] = []
  readFrames(socket, (frame) => {
    const copy = { ...frame, bytes: new Uint8Array(frame.bytes) }
    const waiter = waiting.shift()
    if (waiter) waiter(copy)
    else arrived.push(copy)
  })
  return {
    next: () =>
      arrived.length > 0
        ? Promise.resolve(arrived.shift()!)
        : new Promise<Frame>((resolve) => waiting.push(resolve)),
    get pending() {
      return arrived.length
    },
  }
}

const call = (id: number): Frame => ({
  ...encodeValue({ op: 'call', name: 'inc', args: [id] } satisfies HostRequest),
  id,
  stderrBytes: 0,
})
const adoptFrame = (id: number): Frame => ({
  format: formatAdopt,
  id,
  stderrBytes: 0,
  bytes: new Uint8Array(0),
})

describe("the child's transport: relay calls, road calls, and road calls the relay adopts", () => {
  let dir = ''
  const sockets: Socket[] = []
  afterEach(() => {
    for (const socket of sockets) socket.destroy()
    sockets.length = 0
    rmSync(dir, { recursive: true, force: true })
  })

  /**
   * The transport over two socket pairs, serving requests the test answers by hand: `requests`
   * hears each one's id as it comes in.
   */
  async function setUp(stderr = () => 0) {
    dir = mkdtempSync(path.join(tmpdir(), 'palitra-transport-'))
    const calls = await socketPair(dir, 'calls')
    const road = await socketPair(dir, 'road')
    sockets.push(calls.near, calls.far, road.near, road.far)
    const transport = frameTransport(calls.near, road.near, stderr)
    const requests: number[] = []
    let heard: (() => void) | undefined
    transport.listen(
      (id, read) => {
        expect(read()).toEqual({ op: 'call', name: 'inc', args: [id] })
        requests.push(id)
        heard?.()
      },
      () => {},
    )
    const requestIn = async (id: number) => {
      while (!requests.includes(id)) await new Promise<void>((resolve) => (heard = resolve))
    }
    return {
      transport,
      requestIn,
      relay: frameQueue(calls.far),
      caller: frameQueue(road.far),
      toRelaySide: (frame: Frame) => sendFrame(calls.far, frame),
      toRoadSide: (frame: Frame) => sendFrame(road.far, frame),
    }
  }

  it('answers each call on the socket it came by', async () => {
    const t = await setUp()
    t.toRoadSide(call(1))
    t.toRelaySide(call(2))
    await t.requestIn(1)
    await t.requestIn(2)
    t.transport.reply(2, { ok: true, value: 'by the relay' })
    t.transport.reply(1, { ok: true, value: 'by the road' })
    const onRoad = await t.caller.next()
    const onRelay = await t.relay.next()
    expect([onRoad.id, decodeValue(onRoad)]).toEqual([1, { ok: true, value: 'by the road' }])
    expect([onRelay.id, decodeValue(onRelay)]).toEqual([2, { ok: true, value: 'by the relay' }])
  })

  it('answers a road call adopted before its answer on the relay socket instead', async () => {
    const t = await setUp()
    t.toRoadSide(call(3))
    await t.requestIn(3)
    t.toRelaySide(adoptFrame(3))
    await new Promise((resolve) => setTimeout(resolve, 20))
    t.transport.reply(3, { ok: true, value: 'adopted' })
    const frame = await t.relay.next()
    expect([frame.id, decodeValue(frame)]).toEqual([3, { ok: true, value: 'adopted' }])
    t.transport.reply(4, { ok: true, value: 'a later relay answer, to show the road stayed empty' })
    await t.relay.next()
    expect(t.caller.pending).toBe(0)
  })

  it('says a call adopted after its answer went on the road was answered there, with the stderr count', async () => {
    let stderrBytes = 0
    const t = await setUp(() => stderrBytes)
    t.toRoadSide(call(5))
    await t.requestIn(5)
    stderrBytes = 2 ** 33 + 7
    t.transport.reply(5, { ok: true, value: 'on the road' })
    expect(decodeValue(await t.caller.next())).toEqual({ ok: true, value: 'on the road' })
    t.toRelaySide(adoptFrame(5))
    const said = await t.relay.next()
    expect(said).toMatchObject({ format: formatAnsweredOnRoad, id: 5, stderrBytes: 2 ** 33 + 7 })
  })

  it('answers on the relay socket a road call whose adoption came in before it did', async () => {
    const t = await setUp()
    t.toRelaySide(adoptFrame(6))
    await new Promise((resolve) => setTimeout(resolve, 20))
    t.toRoadSide(call(6))
    await t.requestIn(6)
    t.transport.reply(6, { ok: true, value: 'adopted early' })
    const frame = await t.relay.next()
    expect([frame.id, decodeValue(frame)]).toEqual([6, { ok: true, value: 'adopted early' }])
    expect(t.caller.pending).toBe(0)
  })
})
