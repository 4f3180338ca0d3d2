import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOp } from '../../src/ops.js'
import { checkedCall } from '../helpers/ops.js'
import { testHome, type TestHome } from '../agent/home.js'
import { writeLoraAdapter } from '../fixtures/gguf-writer.js'
import { TINY_RANDOM } from './models-path.js'

const PROMPT = { system: 'Be brief.', turns: [{ role: 'user' as const, text: 'Hello there' }] }

let home: TestHome
let lora: string
beforeAll(async () => {
  home = await testHome()
  lora = join(home.dir, 'lora.gguf')
  await writeLoraAdapter(lora, 8, 32000)
})
afterAll(async () => { await home[Symbol.asyncDispose]() })

describe.sequential('LoRA adapters', () => {
  it('attaches a GGUF LoRA adapter that changes the output; a private one never reaches peers', async () => {
    const base = await checkedCall(home.me, 'model.add', { file: TINY_RANDOM })
    await checkedCall(home.me, 'model.use', { id: base.id })
    const plain = await home.me.models.use('owner', async llm => await llm.generate(PROMPT, { maxTokens: 8 }))

    const r = await checkedCall(home.me, 'model.adapter.add', { file: lora, scale: 4, private: true })
    expect(r.adapter).toMatchObject({ kind: 'adapter', architecture: 'llama', trainedOn: ['private'] })
    expect((await home.me.models.select('owner')).adapters.map(a => a.id)).toEqual([r.adapter.id])
    expect((await home.me.models.select('peer')).adapters).toEqual([])

    const adapted = await home.me.models.use('owner', async llm => await llm.generate(PROMPT, { maxTokens: 8 }))
    expect(adapted.text).not.toBe(plain.text)
    const peer = await home.me.models.use('peer', async llm => await llm.generate(PROMPT, { maxTokens: 8 }))
    expect(peer.text).toBe(plain.text)
  })

  it('refuses a model file where an adapter is expected', async () => {
    await expect(runOp(home.me, 'model.adapter.add', { file: TINY_RANDOM })).rejects.toMatchObject({ code: 'E_BAD_MODEL' })
  })
})
