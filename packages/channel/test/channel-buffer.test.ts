import { describe, expect, it } from 'vitest'
import { channelViews, createChannelBuffer } from '../src/layout.js'

// The watchdog thread keeps what it is given for every channel until its own garbage collection,
// which an idle thread seldom runs: under runner churn beside one long-lived runner, a whole
// 136 KiB buffer per closed runner piled up there (~2.7 MB per 20 runners). It gets the header.
describe('channel buffer', () => {
  it('keeps the header, all the watchdog needs, in a buffer of its own of 256 bytes', () => {
    const buffer = createChannelBuffer()
    const views = channelViews(buffer)
    expect(buffer.header.byteLength).toBe(256)
    expect(views.header.buffer).toBe(buffer.header)
    for (const area of [views.request, views.reply, views.crash]) {
      expect(area.buffer).toBe(buffer.areas)
    }
  })
})
