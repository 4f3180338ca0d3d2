import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOp } from '../../src/ops.js'
import { checkedCall } from '../helpers/ops.js'
import { parseInitialLoss, parseLosses, finetuneAvailable } from '../../src/model/finetune.js'
import { STORIES } from '../model/models-path.js'
import { testHome, type TestHome } from './home.js'

const CANARY = 'CANARY-train-55x'
const BUILT = await finetuneAvailable()

let home: TestHome
beforeAll(async () => {
  home = await testHome('Ada')
  const m = home.me.memory
  await m.addText('I live in Lisbon and I love the tiled streets.', { visibility: 'public', speaker: 'Ada' })
  await m.addText('I work as a nurse at the children\'s hospital.', { visibility: 'shareable', speaker: 'Ada' })
  await m.addText(`My diary password is ${CANARY} and I keep it to myself.`, { visibility: 'private', speaker: 'Ada' })
  await m.addText('I enjoy baking sourdough bread on Sundays.', { visibility: 'shareable', speaker: 'Ada' })
})
afterAll(async () => { await home[Symbol.asyncDispose]() })

describe.sequential('L2 training data and fine-tuning', () => {
  it('writes SFT (messages[]) and DPO (prompt/chosen/rejected) JSONL, filtered by visibility', async () => {
    const out = join(home.dir, 'shared-data')
    const r = await checkedCall(home.me, 'train.data', { out, visibility: ['shareable', 'public'] })
    expect(r.containsPrivate).toBe(false)
    expect(r.counts.sft).toBeGreaterThanOrEqual(2)
    expect(r.distinctPrompts).toBeGreaterThanOrEqual(0.9)
    expect(r.cited).toMatchObject({ missing: 0 })
    expect(r.cited.checked).toBeGreaterThan(0)
    const sft = (await readFile(r.files.sft, 'utf8')).trim().split('\n').map(l => JSON.parse(l) as { messages: Array<{ role: string, content: string }> })
    const dpo = (await readFile(r.files.dpo, 'utf8')).trim().split('\n').map(l => JSON.parse(l) as { prompt: unknown[], chosen: string, rejected: string })
    expect(sft[0]?.messages.map(m => m.role)).toEqual(['system', 'user', 'assistant'])
    // Questions are specific to a fact (they name the person and a subject), answers in the owner's voice.
    expect(sft.some(e => (e.messages[1]?.content ?? '').includes('Ada'))).toBe(true)
    expect(dpo.every(p => p.chosen !== p.rejected && p.prompt.length === 2)).toBe(true)
    expect(new Set(dpo.map(p => p.rejected)).size).toBe(dpo.length)
    const all = (await readFile(r.files.sft, 'utf8')) + (await readFile(r.files.dpo, 'utf8'))
    expect(all).not.toContain(CANARY)
    expect(all).toContain('Lisbon')

    const mine = await checkedCall(home.me, 'train.data', { out: join(home.dir, 'own-data') })
    expect(mine.containsPrivate).toBe(true)
    expect(await readFile(mine.files.sft, 'utf8')).toContain(CANARY)
  })

  it('parses epoch losses from llama-finetune output', () => {
    const out = 'train: [▉   ] data=0000001/0000004 loss=3.10000±nan acc=1% t=00:00:00 ETA=00:00:01 0.00.1 I epoch 0 lr=0.001\n' +
      'train: [████] data=0000004/0000004 loss=2.50000±0.1 acc=2% t=00:00:01 ETA=00:00:00 \rval:   [█] data=0000001/0000001 loss=2.6±nan\n' +
      'train: [██  ] data=0000002/0000004 loss=1.40000±0.1 acc=4% t=00:00:00 ETA=00:00:01 \r' +
      'train: [████] data=0000004/0000004 loss=1.25000±0.1 acc=5% t=00:00:01 ETA=00:00:00 \n'
    expect(parseLosses(out)).toEqual([2.5, 1.25])
    expect(parseInitialLoss(out)).toBe(3.1)
  })

  it('without the tool built, train fails with E_TRAIN_FAILED and registers nothing', async () => {
    const saved = process.env.SECONDME_FINETUNE_BIN
    process.env.SECONDME_FINETUNE_BIN = join(home.dir, 'no-such-llama-finetune')
    try {
      const base = await home.me.models.registry.add(STORIES)
      await expect(runOp(home.me, 'train', { base: base.id, epochs: 1 })).rejects.toMatchObject({ code: 'E_TRAIN_FAILED' })
      expect((await home.me.models.registry.list()).map(m => m.id)).toEqual([base.id])
    } finally {
      if (saved === undefined) delete process.env.SECONDME_FINETUNE_BIN
      else process.env.SECONDME_FINETUNE_BIN = saved
    }
  })

  // Runs only where `npm run build:finetune` has been run (the tool takes ~6–7 min to build on 2 cores).
  it.skipIf(!BUILT)('fine-tunes stories260K: loss falls, output changes, the private-trained model never answers peers', async () => {
    const base = await home.me.models.registry.add(STORIES)
    const r = await checkedCall(home.me, 'train', { base: base.id, epochs: 4, contextSize: 64 })
    expect(r.losses.length).toBe(4)
    // Before any update the base model's loss on the data; after training it is far lower.
    expect(r.initialLoss).toBeGreaterThan(0)
    expect(r.losses.at(-1) ?? Infinity).toBeLessThan(r.initialLoss * 0.7)
    expect(r.losses.at(-1) ?? Infinity).toBeLessThan(r.losses[0] ?? 0)
    expect(r.containsPrivate).toBe(true)
    expect(r.model.trainedOn).toContain('private')
    expect(r.model.baseId).toBe(base.id)

    await home.me.models.registry.use(r.model.id)
    const prompt = { system: 'Answer briefly.', turns: [{ role: 'user' as const, text: 'Where do you live?' }] }
    const trained = await home.me.models.use('owner', async llm => await llm.generate(prompt, { maxTokens: 24 }))
    const original = await home.me.models.use('peer', async llm => {
      expect(llm.info.id).toBe(base.id)
      return await llm.generate(prompt, { maxTokens: 24 })
    })
    expect(trained.text).not.toBe(original.text)
  }, 600_000)
})
