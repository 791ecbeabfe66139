import type { HostRequest } from '../types.js'
import type { CompactShape } from './body-codec.js'

/** A reply as it travels: `value` absent means `undefined`. */
export type Reply = { ok: true; value?: unknown } | { ok: false; error: unknown }

/** Calls with primitive arguments travel as `[name, ...args]`. */
export const requestShape: CompactShape<HostRequest> = {
  toItems: (request) =>
    request.op === 'call' && !request.iterate ? [request.name, ...request.args] : undefined,
  fromItems: ([name, ...args]) => ({ op: 'call', name: name as string, args }),
}

/** Successful primitive results travel as `[value]`. */
export const replyShape: CompactShape<Reply> = {
  toItems: (reply) => (reply.ok ? [reply.value] : undefined),
  fromItems: ([value]) => ({ ok: true, value }),
}
