import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Models } from '../../src/model/models.js'
import { testHome, type TestHome } from '../agent/home.js'
import { STORIES, TEST_SETTINGS, TINY_RANDOM } from './models-path.js'

const PROMPT = { system: 'You tell stories.', turns: [{ role: 'user' as const, text: 'Tell me about the dog.' }] }

let home: TestHome
beforeEach(async () => { home = await testHome() })
afterEach(async () => { await home[Symbol.asyncDispose]() })

describe('loaded models (one kept, real GGUF)', () => {
  it('an evicted model stays usable while a caller holds it, and is closed when released', async () => {
    const models = new Models({ vault: home.me.vault, modelsDir: home.me.paths.modelsDir, settings: () => TEST_SETTINGS, keep: 1 })
    const stories = await models.registry.add(STORIES)
    const tiny = await models.registry.add(TINY_RANDOM)
    await models.registry.use(stories.id)
    const held = await models.acquire('owner')
    expect(held.llm.info.id).toBe(stories.id)

    await models.registry.use(tiny.id)
    const tinyLlm = await models.use('owner', async llm => llm)
    expect(tinyLlm.info.id).toBe(tiny.id)
    // stories left the cache when tiny came in, but its caller still holds it
    expect((await held.llm.generate(PROMPT, { maxTokens: 4 })).tokens).toBeGreaterThan(0)
    held.release()
    await expect(held.llm.generate(PROMPT, { maxTokens: 4 })).rejects.toMatchObject({ code: 'E_CLOSED' })

    // A model nobody holds is closed as soon as it is evicted.
    await models.registry.use(stories.id)
    await models.use('owner', async llm => { expect(llm.info.id).toBe(stories.id) })
    await expect(tinyLlm.generate(PROMPT, { maxTokens: 4 })).rejects.toMatchObject({ code: 'E_CLOSED' })
    await models.close()
    await expect(models.acquire('owner')).rejects.toMatchObject({ code: 'E_CLOSED' })
  })
})
