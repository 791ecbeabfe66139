import type { MessagePort, TransferListItem } from 'node:worker_threads'
import type { HostRequest } from '@palitra/core'
import type { Reply } from '@palitra/core/backend'
import { BodyCodec, type WrittenBody } from './body-codec.js'
import { replyShape, requestShape } from './messages.js'

/**
 * How message bodies cross the channel: one contract, and each backend picks its strategy. The
 * channel itself only moves a `format` and a `length` through the header; what they mean is the
 * codec's, so the two ends of a channel must use codecs that agree on the bytes (the worker's
 * caller and host both use `objectCodec`; the subprocess caller encodes for its child, and its
 * relay forwards those bytes untouched with `rawCodec`).
 */
export interface MessageCodec<T> {
  /** Throws (a DataCloneError, say) having written nothing when `body` cannot cross. */
  write(body: T, transfer?: readonly TransferListItem[]): WrittenBody
  read(format: number, length: number): T
}

/** What one direction's codec writes into: its area, the bytes in its header line, the bulk port. */
export interface BodyArea {
  readonly area: Uint8Array
  readonly inline: Uint8Array
  readonly bulk: MessagePort
}

/** A codec per direction. The caller writes requests and reads replies; the host the reverse. */
export interface ChannelCodec<Request, Response> {
  requests(area: BodyArea): MessageCodec<Request>
  replies(area: BodyArea): MessageCodec<Response>
}

/** Values as themselves, by the cheapest of the four roads (see body-codec.ts). */
export const objectCodec: ChannelCodec<HostRequest, Reply> = {
  requests: ({ area, inline, bulk }) => new BodyCodec(area, bulk, requestShape, inline),
  replies: ({ area, inline, bulk }) => new BodyCodec(area, bulk, replyShape, inline),
}
