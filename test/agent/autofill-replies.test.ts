import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutofillResult } from '../../src/agent/autofill/index.js'
import { checkedCall } from '../helpers/ops.js'
import { testHome, type TestHome } from './home.js'

// A LoCoMo-shaped conversation: Sam asks, Ada (the owner) replies in words the form never uses.
const turns: Array<[string, string]> = [
  ['Sam', 'Your paintings are lovely! How did you get into watercolor painting?'],
  ['Ada', 'My friend got me into it and gave me some advice, and I was hooked right away!'],
  ['Sam', 'Parenting is a lot. Do you take your kid to the park often?'],
  ['Ada', 'Yeah, we go a few times a week.'],
  ['Sam', 'Nice mod! What other programming languages have you worked with?'],
  ['Ada', "I haven't worked with any other programming languages, but I hope to soon."],
  ['Sam', 'Looks good! How did the extra funding help with building the school?'],
  ['Ada', 'It enabled needed repairs and renovations, making the classrooms safer for the kids.'],
  ['Sam', 'Love the necklace, any special meaning to it?'],
  ['Ada', 'Thanks! It stands for love, faith and strength.']
]
const CONVERSATION = [{
  sample_id: 'conv-test',
  conversation: {
    speaker_a: 'Ada',
    speaker_b: 'Sam',
    session_1_date_time: '1:56 pm on 8 May, 2023',
    session_1: turns.map(([speaker, text], i) => ({ speaker, text, dia_id: `D1:${i + 1}` }))
  }
}]

const FORM = {
  type: 'object',
  properties: {
    painting: { type: 'string', description: 'How did Ada get into watercolor painting?' },
    library: { type: 'string', description: 'How often does Ada take her kids to the library?' },
    languages: { type: 'string', description: 'What programming languages has Ada worked with?' },
    funding: { type: 'string', description: 'How did the extra funding help the school shown in the photo Ada shared?' },
    necklace: { type: 'string', description: 'What does Ada\'s necklace symbolize?' }
  }
}

let home: TestHome
beforeAll(async () => {
  home = await testHome('Ada')
  const file = join(home.dir, 'conv.json')
  await writeFile(file, JSON.stringify(CONVERSATION))
  await home.me.memory.ingest([file], { embed: false })
})
afterAll(async () => { await home[Symbol.asyncDispose]() })

describe('autofill from replies to the same question', () => {
  it('fills a field from the owner\'s reply to that question, only when it is the same question and the reply states something', async () => {
    const r: AutofillResult = await checkedCall(home.me, 'autofill', { schema: FORM, extractive: true })
    expect(String(r.value.painting)).toContain('friend')
    expect(r.filled.find(f => f.field === 'painting')?.source).toMatch(/^m/)
    // The park question is not the library question; a denial names no languages.
    expect(r.value).not.toHaveProperty('library')
    expect(r.value).not.toHaveProperty('languages')
    expect(r.empty).toEqual(expect.arrayContaining(['library', 'languages']))
  })

  it('cites the owner\'s L1 fact drawn from the memory a value came from', async () => {
    const r: AutofillResult = await checkedCall(home.me, 'autofill', { schema: FORM, extractive: true })
    const painting = r.filled.find(f => f.field === 'painting')
    const fact = home.me.memory.fact(painting?.fact ?? '')
    expect(fact?.person).toBe('Ada')
    expect(fact?.sources).toContain(painting?.source)
  })

  it('answers a how-question asked in other words with the reply\'s clause, but a what-question only when asked in full', async () => {
    const r: AutofillResult = await checkedCall(home.me, 'autofill', { schema: FORM, extractive: true })
    // Half the question's words asked ("extra funding help … school"), and a how-answer is a clause.
    expect(String(r.value.funding)).toContain('enabled needed repairs and renovations, making the classrooms safer')
    // "any special meaning" shares only "necklace" with "What does … necklace symbolize?": no value.
    expect(r.value).not.toHaveProperty('necklace')
  })
})
