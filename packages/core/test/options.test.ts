import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createRunner, defaultRunnerOptions, setDefaultBackend } from '../src/index.js'
import { resolveRunnerOptions } from '../src/options.js'
import { toModuleUrl } from '../src/tasks-url.js'

const code = (body: () => unknown) => {
  try {
    body()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'no error'
}

describe('options', () => {
  it('fills defaults and checks every field', () => {
    expect(resolveRunnerOptions({})).toEqual(defaultRunnerOptions)
    expect(resolveRunnerOptions({ timeout: 5 }).timeout).toBe(5)
    expect(code(() => resolveRunnerOptions({ timeout: -1 }))).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    expect(code(() => resolveRunnerOptions({ teardownGrace: '1' as never }))).toBe(
      'ERR_PALITRA_INVALID_ARGUMENT',
    )
    expect(code(() => resolveRunnerOptions({ typo: 1 } as never))).toBe(
      'ERR_PALITRA_INVALID_ARGUMENT',
    )
    expect(code(() => resolveRunnerOptions(null as never))).toBe('ERR_PALITRA_INVALID_ARGUMENT')
  })
})

describe('tasks module location', () => {
  it('accepts URLs, file: strings, absolute and cwd-relative paths', () => {
    const absolute = path.resolve('tasks.mjs')
    const href = pathToFileURL(absolute).href
    expect(toModuleUrl(new URL(href))).toBe(href)
    expect(toModuleUrl(href)).toBe(href)
    expect(toModuleUrl(absolute)).toBe(href)
    expect(toModuleUrl('./tasks.mjs')).toBe(href)
    expect(toModuleUrl('tasks.mjs')).toBe(href)
  })

  it('refuses what is not a file module', () => {
    expect(code(() => toModuleUrl('https://example.com/x.js'))).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    expect(code(() => toModuleUrl(''))).toBe('ERR_PALITRA_INVALID_ARGUMENT')
    expect(code(() => toModuleUrl(42))).toBe('ERR_PALITRA_INVALID_ARGUMENT')
  })
})

describe('backend resolution', () => {
  it('names what is unknown or missing with ERR_PALITRA_UNAVAILABLE', () => {
    expect(code(() => createRunner('./t.mjs', { backend: 'nope' as never }))).toBe(
      'ERR_PALITRA_UNAVAILABLE',
    )
    expect(code(() => createRunner('./t.mjs', { backend: 42 as never }))).toBe(
      'ERR_PALITRA_INVALID_ARGUMENT',
    )
    expect(code(() => setDefaultBackend('nope' as never))).toBe('ERR_PALITRA_UNAVAILABLE')
  })

  it('refuses a backend that says it cannot run here', () => {
    const backend = {
      name: 'fussy',
      capabilities: {} as never,
      unavailableReason: () => 'not on Tuesdays',
      createSession: () => {
        throw new Error('unreachable')
      },
    }
    let message = ''
    try {
      createRunner('./t.mjs', { backend })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('not on Tuesdays')
  })
})
