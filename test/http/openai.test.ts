import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig, writeConfig } from '../../src/config.js'
import { readOrCreateToken, startHttpServer, type HttpServer } from '../../src/http/index.js'
import { openGgufEmbedder } from '../../src/model/gguf-embedder.js'
import type { Embedder } from '../../src/model/embedder.js'
import { SecondMe } from '../../src/node.js'
import { checkedCall } from '../helpers/ops.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'
import { STORIES, TEST_SETTINGS } from '../model/models-path.js'

// The official `openai` client against /v1: the answer comes from the ask pipeline.

let tmp: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
let embedder: Embedder
let server: HttpServer
let client: OpenAI
let tomatoId: string

interface SecondMeExtra { secondme?: { cited: string[], mode: string } }

beforeAll(async () => {
  tmp = await tempDir()
  const home = join(tmp.path, 'home')
  await (await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, displayName: 'Ada', memory: { embedder: null } })).close()
  const config = await readConfig(join(home, 'config.json'))
  await writeConfig(join(home, 'config.json'), { ...config, model: { ...TEST_SETTINGS } })
  embedder = await openGgufEmbedder(STORIES, { threads: 1, contextSize: 128, gpu: false })
  me = await SecondMe.open({ home, passphrase: 'pw', memory: { embedder } })
  tomatoId = (await me.memory.addText('I grow cherry tomatoes on my balcony in Lisbon.', { visibility: 'private' })).id
  await me.memory.addText('My sister Ines plays the cello.', { visibility: 'shareable' })
  await me.memory.addText('Ines lives in Porto with her two cats.', { visibility: 'shareable' })
  await me.memory.addText('Tom lives in Faro near the harbour.', { visibility: 'shareable' })
  server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 } })
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: await readOrCreateToken(me.paths.root), maxRetries: 0 })
})

afterAll(async () => {
  await server.close()
  await me.close()
  await embedder.close()
  await tmp[Symbol.asyncDispose]()
})

describe('/v1 (OpenAI-compatible) with the openai client', () => {
  it('lists the Second Me as a model', async () => {
    const models = await client.models.list()
    expect(models.data.map(m => m.id)).toContain('secondme')
  })

  it('answers a chat from memory (extractive, no model) with cited memory ids', async () => {
    const r = await client.chat.completions.create({ model: 'secondme', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'What do I grow on my balcony?' }] })
    expect(r.choices[0]?.message.content).toMatch(/tomatoes/i)
    const extra = (r as unknown as SecondMeExtra).secondme
    expect(extra?.mode).toBe('extractive')
    expect(extra?.cited).toContain(tomatoId)
  })

  it('answers a follow-up from the chat history: the subject comes from the earlier user turn', async () => {
    const follow = async (who: string): Promise<string> => {
      const r = await client.chat.completions.create({
        model: 'secondme',
        messages: [{ role: 'user', content: `Who is ${who}?` }, { role: 'assistant', content: 'someone I know' }, { role: 'user', content: 'Where does she live?' }]
      })
      return r.choices[0]?.message.content ?? ''
    }
    expect(await follow('Ines')).toMatch(/Porto/)
    expect(await follow('Tom')).toMatch(/Faro/)
  })

  it('streams a model answer as SSE chunks, the last one carrying the cited ids', async () => {
    const model = await me.models.registry.add(STORIES)
    await me.models.registry.use(model.id)
    try {
      const stream = await client.chat.completions.create({ model: 'secondme', stream: true, messages: [{ role: 'user', content: 'What do I grow on my balcony?' }] })
      let text = ''
      let chunks = 0
      let last: SecondMeExtra | undefined
      for await (const chunk of stream) {
        chunks++
        text += chunk.choices[0]?.delta.content ?? ''
        if (chunk.choices[0]?.finish_reason === 'stop') last = chunk as unknown as SecondMeExtra
      }
      expect(chunks).toBeGreaterThan(3)
      expect(text.length).toBeGreaterThan(0)
      expect(last?.secondme?.mode).toBe('model')
      expect(last?.secondme?.cited.length).toBeGreaterThan(0)
    } finally {
      await me.models.registry.unuse()
    }
  })

  it('embeds with the node\'s embedder (float and the client\'s default base64)', async () => {
    const floats = await client.embeddings.create({ model: 'secondme', input: ['cherry tomatoes', 'a cello'], encoding_format: 'float' })
    expect(floats.data).toHaveLength(2)
    expect(floats.data[0]?.embedding).toHaveLength(embedder.dimension)
    const direct = await embedder.embed(['cherry tomatoes'])
    expect(floats.data[0]?.embedding[0]).toBeCloseTo(direct[0]?.[0] ?? NaN, 5)
    const b64 = await client.embeddings.create({ model: 'secondme', input: 'cherry tomatoes' })
    expect(b64.data[0]?.embedding[0]).toBeCloseTo(direct[0]?.[0] ?? NaN, 5)
    expect((await checkedCall(me, 'embeddings', { input: ['cherry tomatoes'] })).dimension).toBe(embedder.dimension)
  })

  it('refuses a wrong key (401) and bad requests (400) with the error shape', async () => {
    const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'smt_wrong', maxRetries: 0 })
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 })
    await expect(client.chat.completions.create({ model: 'secondme', messages: [{ role: 'assistant', content: 'hi' }] })).rejects.toMatchObject({ status: 400, error: { code: 'E_BAD_INPUT' } })
  })
})
