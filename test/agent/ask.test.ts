import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ask } from '../../src/agent/ask.js'
import { readConfig, writeConfig } from '../../src/config.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { STORIES } from '../model/models-path.js'
import { testHome, type TestHome } from './home.js'

let home: TestHome
let dogId: string
beforeAll(async () => {
  home = await testHome()
  dogId = (await home.me.memory.addText('My dog Biscuit is a golden retriever who loves the beach.', { visibility: 'private' })).id
  await home.me.memory.addText('I work as a nurse at the city hospital.', { visibility: 'shareable' })
})
afterAll(async () => { await home[Symbol.asyncDispose]() })

describe.sequential('ask', () => {
  it('without a model answers with a short phrase from the best memory, citing its id, the sentence kept as evidence', async () => {
    const r = await ask(home.me, 'What is the name of my dog?')
    expect(r.mode).toBe('extractive')
    expect(r.model).toBe('none')
    expect(r.answer).toBe(r.text)
    expect(r.text).toContain('Biscuit')
    expect(r.text.split(' ').length).toBeLessThanOrEqual(8)
    expect(r.cited[0]).toBe(dogId)
    expect(r.evidence?.[0]).toMatchObject({ id: dogId, sentence: 'My dog Biscuit is a golden retriever who loves the beach.' })
    expect((await ask(home.me, 'What is the name of my cat?')).text).toBe('not mentioned in my memories')
  })

  it('with a model streams the answer and builds the prompt from the recalled memories', async () => {
    const model = await home.me.models.registry.add(STORIES)
    await home.me.models.registry.use(model.id)
    const chunks: string[] = []
    const r = await ask(home.me, 'What is the name of my dog?', { onText: (c) => chunks.push(c) })
    expect(r.mode).toBe('model')
    expect(r.model).toBe(model.id)
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.join('').trim()).toBe(r.text)
    const prompt = await home.me.models.use('owner', async llm => llm.lastPrompt)
    expect(prompt).toContain(`[${dogId}]`)
    expect(prompt).toContain('What is the name of my dog?')
    expect(r.cited).toContain(dogId)
    await home.me.models.registry.unuse()
  })
})

describe('model, ask and autofill through the CLI', () => {
  it('registers a model, answers, fills a form and reports bad input with stable codes', async () => {
    await using dir = await tempDir()
    const env = { SECONDME_PASSPHRASE: 'ask test passphrase', SECONDME_HOME: join(dir.path, 'h') }
    expect((await runCli(['init', '--name', 'Ada'], env)).code).toBe(0)
    // Lexical recall only: loading the sentence encoder in every CLI process would dominate the test.
    const configPath = join(env.SECONDME_HOME, 'config.json')
    const config = await readConfig(configPath)
    await writeConfig(configPath, { ...config, memory: { embedder: 'none' } })
    expect((await runCli(['remember', 'I live in Porto and I love surfing.'], env)).code).toBe(0)
    const asked = await runCli(['ask', '--explain', 'where', 'do', 'I', 'live?'], env)
    expect(asked.code).toBe(0)
    expect(asked.stdout.split('\n')[0]).toBe('Porto')
    expect(asked.stdout).toContain('I live in Porto and I love surfing.')
    expect(asked.stdout).toContain('extractive (no model)')

    const added = await runCli(['--json', 'model', 'add', STORIES], env)
    expect(added.code).toBe(0)
    const id = (JSON.parse(added.stdout) as { id: string }).id
    expect(id).toMatch(/^[0-9a-f]{16}$/)

    const form = join(dir.path, 'form.json')
    await writeFile(form, JSON.stringify({ type: 'object', properties: { city: { type: 'string' }, pet: { type: 'string', description: 'name of your pet' } } }))
    const filled = await runCli(['--json', 'autofill', form], env)
    expect(filled.code).toBe(0)
    expect(JSON.parse(filled.stdout)).toMatchObject({ value: { city: 'Porto' }, empty: ['pet'], valid: true })
    const broken = join(dir.path, 'broken.json')
    await writeFile(broken, '{ not json')
    const r = await runCli(['autofill', broken], env)
    expect(r.code).toBe(65)
    expect(r.stderr).toContain('E_MALFORMED_FILE')
  })
})
