/**
 * Entry of the worker thread that hosts a tasks module: task output goes straight to the
 * process's fds, and requests arrive through the shared-buffer channel.
 */
import { workerData } from 'node:worker_threads'
import { type ChannelEnd, serveChannel, writeStdioStraightToFds } from '@palitra/channel'
import { createTaskHost } from '@palitra/core/backend'

const { channel, init } = workerData as { channel: ChannelEnd; init: { moduleUrl: string } }
writeStdioStraightToFds()
serveChannel(channel, createTaskHost(init.moduleUrl, { backend: channel.backend }))
