import type { HostRequest } from '@palitra/core'
import type { Reply } from '@palitra/core/backend'
import type { CompactShape } from './body-codec.js'

/** Calls with primitive arguments travel as `[name, ...args]`. */
export const requestShape: CompactShape<HostRequest> = {
  toItems: (request) =>
    request.op === 'call' && !request.iterate ? [request.name, ...request.args] : undefined,
  // Indexing rather than destructuring: `[name, ...args]` runs the array iterator on every call.
  fromItems: (items) => ({ op: 'call', name: items[0] as string, args: items.slice(1) }),
}

/** Successful primitive results travel as `[value]`. */
export const replyShape: CompactShape<Reply> = {
  toItems: (reply) => (reply.ok ? [reply.value] : undefined),
  fromItems: (items) => ({ ok: true, value: items[0] }),
}
