/**
 * What a backend author needs (`@palitra/core/backend`); applications never import it. The
 * contract a backend implements (`Backend`, `Session`, `Capabilities`, `HostRequest`) is typed in
 * `./contract.ts` and exported from both entry points.
 */

export { microtasks } from './context.js'
export type * from './contract.js'
export { iteratorHandleTag } from './contract.js'
export { describeRequest } from './describe-request.js'
export { type DeathReport, errors } from './errors.js'
export { globalSlot } from './global-slot.js'
export { decodeThrown, type ErrorDescriptor, encodeThrown } from './host/error-codec.js'
export {
  type AbortNote,
  type HostTransport,
  type Reply,
  type ServeOptions,
  serveHost,
} from './host/serve.js'
export { createTaskHost, type TaskHost, type TaskHostOptions } from './host/task-host.js'
export { announceBackend } from './resolve-backend.js'
export { CallScope } from './scope.js'
