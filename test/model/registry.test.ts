import { copyFile, readFile, stat, writeFile, appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isSecondMeError } from '../../src/errors.js'
import { testHome, type TestHome } from '../agent/home.js'
import { STORIES, TINY_RANDOM } from './models-path.js'

const STORIES_SHA = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d'

let home: TestHome
beforeEach(async () => { home = await testHome() })
afterEach(async () => { await home[Symbol.asyncDispose]() })

async function codeOf (promise: Promise<unknown>): Promise<string> {
  try { await promise; return 'resolved' } catch (err) { return isSecondMeError(err) ? err.code : String(err) }
}

describe('model registry', () => {
  it('adds a GGUF with its metadata and sha256, lists, uses by prefix, removes', async () => {
    const reg = home.me.models.registry
    const rec = await reg.add(STORIES)
    expect(rec).toMatchObject({ kind: 'model', architecture: 'llama', sha256: STORIES_SHA, id: STORIES_SHA.slice(0, 16), copied: false, path: STORIES, contextLength: 2048, embeddingLength: 64, trainedOn: [] })
    expect(await reg.add(STORIES)).toEqual(rec)
    const tiny = await reg.add(TINY_RANDOM)
    expect((await reg.list()).map(r => r.id)).toEqual([rec.id, tiny.id])
    expect((await reg.active()).modelId).toBeNull()
    expect((await reg.use(rec.id.slice(0, 6))).modelId).toBe(rec.id)
    expect((await home.me.models.select('owner')).model?.id).toBe(rec.id)
    await reg.remove(rec.id)
    expect((await reg.active()).modelId).toBeNull()
    expect((await reg.list()).map(r => r.id)).toEqual([tiny.id])
    expect(await stat(STORIES)).toBeDefined()
  })

  it('copies into the home when asked and deletes only that copy on remove', async () => {
    const rec = await home.me.models.registry.add(STORIES, { copy: true })
    expect(rec.copied).toBe(true)
    expect(rec.path.startsWith(home.me.paths.modelsDir)).toBe(true)
    expect((await readFile(rec.path)).equals(await readFile(STORIES))).toBe(true)
    await home.me.models.registry.remove(rec.id)
    expect(await codeOf(stat(rec.path))).not.toBe('resolved')
  })

  it('refuses bad files with stable codes and records nothing', async () => {
    const reg = home.me.models.registry
    const junk = join(home.dir, 'junk.gguf')
    await writeFile(junk, 'not a model at all, just text')
    const truncated = join(home.dir, 'truncated.gguf')
    await writeFile(truncated, (await readFile(STORIES)).subarray(0, 4096))
    expect(await codeOf(reg.add(junk))).toBe('E_BAD_MODEL')
    expect(await codeOf(reg.add(truncated))).toBe('E_BAD_MODEL')
    expect(await codeOf(reg.add(join(home.dir, 'missing.gguf')))).toBe('E_FILE_NOT_FOUND')
    expect(await codeOf(reg.add('https://example.com/model.gguf'))).toBe('E_BAD_INPUT')
    expect(await codeOf(reg.add(STORIES, { expect: 'adapter' }))).toBe('E_BAD_MODEL')
    expect(await codeOf(reg.use('nope'))).toBe('E_NOT_FOUND')
    expect(await reg.list()).toEqual([])
  })

  it('notices a model file that changed since it was added', async () => {
    const copy = join(home.dir, 'stories-copy.gguf')
    await copyFile(STORIES, copy)
    const rec = await home.me.models.registry.add(copy)
    await home.me.models.registry.use(rec.id)
    await appendFile(copy, Buffer.alloc(32))
    expect(await codeOf(home.me.models.acquire('owner'))).toBe('E_BAD_MODEL')
  })

  it('without an active model the owner and peers get the no-model backend', async () => {
    expect(await home.me.models.use('owner', async llm => llm.capabilities.generate)).toBe(false)
    expect(await home.me.models.use('peer', async llm => llm.info.id)).toBe('none')
  })
})
