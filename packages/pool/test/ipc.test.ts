import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { cloneFromBytes, cloneToBytes } from '@palitra/channel'
import { describe, expect, it } from 'vitest'
import { bytesFromIpc, bytesToIpc, ipcSerializationFor } from '../src/ipc.js'

const echoChild = fileURLToPath(new URL('./fixtures/echo-child.mjs', import.meta.url))

// A reply as a child host sends it: structured-clone bytes of values JSON alone would not keep.
const reply = {
  ok: true,
  value: {
    map: new Map([[1, 'one']]),
    bytes: new Uint8Array([0, 1, 255]),
    when: new Date(0),
    big: 2n ** 70n,
    nothing: undefined,
  },
}

/** What a child would receive, sent over a real IPC channel of that serialization. */
function sendToChild(serialization: 'advanced' | 'json', message: unknown): Promise<unknown> {
  const child = fork(echoChild, [], { serialization, stdio: 'ignore' })
  return new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('error', reject)
    child.send(message as never)
  })
}

describe('the IPC channel of a child-process pool', () => {
  it('is JSON on Bun (whose advanced serialization refuses the port in tinypool’s first message)', () => {
    expect(ipcSerializationFor({ ...process.versions, bun: '1.4.5' })).toBe('json')
    const { bun: _, ...node } = process.versions
    expect(ipcSerializationFor(node as NodeJS.ProcessVersions)).toBe('advanced')
  })

  it('leaves bytes as they are on an advanced channel', () => {
    const bytes = cloneToBytes(reply)
    expect(bytesToIpc(bytes, 'advanced')).toBe(bytes)
    expect(bytesFromIpc(bytes)).toBe(bytes)
  })

  for (const serialization of ['advanced', 'json'] as const) {
    it(`carries structured-clone bytes intact over a real ${serialization} channel`, async () => {
      const sent = {
        palitraTask: 1,
        message: { step: 0, reply: bytesToIpc(cloneToBytes(reply), serialization) },
      }
      const echoed = (await sendToChild(serialization, sent)) as typeof sent
      expect(echoed.palitraTask).toBe(1)
      expect(cloneFromBytes(bytesFromIpc(echoed.message.reply))).toEqual(reply)
    })
  }

  it('carries tinypool’s first message, MessagePort and all, over a JSON channel', async () => {
    const { port1, port2 } = new MessageChannel()
    const first = { filename: 'x', name: 'default', port: port2, source: 'pool' }
    expect(await sendToChild('json', first)).toEqual({
      filename: 'x',
      name: 'default',
      port: {},
      source: 'pool',
    })
    port1.close()
  })
})
