/**
 * The child's end of its sockets, as core's `HostTransport`: calls from the relay on one, calls
 * from the caller's direct road (see direct-road.ts) on the other, each answered where it came
 * from, unless the relay adopts a road call that is slow to answer.
 */
import type { Socket } from 'node:net'
import type { HostRequest } from '@palitra/core'
import type { AbortNote, HostTransport } from '@palitra/core/backend'
import { formatAbort, formatAdopt, formatAnsweredOnRoad, readFrames, sendFrame } from './frames.js'
import { decodeValue, encodeValue } from './wire-codec.js'

const noBytes = new Uint8Array(0)

/**
 * Frames on fd 4 (see frames.ts): requests and aborts in, replies out. And calls on the direct
 * road, answered there unless the relay adopts them first.
 */
export function frameTransport(
  calls: Socket,
  road: Socket | undefined,
  stderrBytes: () => number,
): HostTransport {
  /** Direct-road calls in flight: answered on the road unless adopted. */
  const onRoad = new Set<number>()
  /** Adopted before their call came in on the road: answered on fd 4 when it does. */
  const adoptedEarly = new Set<number>()
  /** The road carries one call at a time: the last one answered there. */
  let lastAnsweredOnRoad = -1

  const adopt = (id: number) => {
    if (onRoad.delete(id)) return
    if (id === lastAnsweredOnRoad) {
      sendFrame(calls, {
        format: formatAnsweredOnRoad,
        id,
        stderrBytes: stderrBytes(),
        bytes: noBytes,
      })
    } else adoptedEarly.add(id)
  }

  return {
    listen(onRequest, onAbort) {
      readFrames(calls, (frame) => {
        if (frame.format === formatAbort) {
          onAbort(frame.id, JSON.parse(Buffer.from(frame.bytes).toString()) as AbortNote)
        } else if (frame.format === formatAdopt) adopt(frame.id)
        else onRequest(frame.id, () => decodeValue(frame) as HostRequest)
      })
      if (!road) return
      readFrames(road, (frame) => {
        if (!adoptedEarly.delete(frame.id)) onRoad.add(frame.id)
        onRequest(frame.id, () => decodeValue(frame) as HostRequest)
      })
    },
    // Throws before writing anything when the reply cannot be encoded.
    reply(id, reply) {
      const { format, bytes } = encodeValue(reply)
      if (road && onRoad.delete(id)) {
        lastAnsweredOnRoad = id
        sendFrame(road, { format, id, stderrBytes: stderrBytes(), bytes })
      } else sendFrame(calls, { format, id, stderrBytes: stderrBytes(), bytes })
    },
    holdLoop(hold) {
      if (hold) calls.ref()
      else calls.unref()
    },
  }
}
