import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutofillResult } from '../../src/agent/autofill/index.js'
import { OWNED, ownedShare } from '../../src/agent/autofill/ownership.js'
import { recallFor, turnBeforeFor } from '../../src/agent/memory-access.js'
import { OWNER_SCOPE } from '../../src/scope.js'
import { checkedCall } from '../helpers/ops.js'
import { testHome, type TestHome } from './home.js'

// A LoCoMo-shaped conversation: Sam asks, Ada (the owner) replies in words the form never uses.
// A third element is the caption of a photo shared with the turn.
const turns: Array<[string, string, string?]> = [
  ['Sam', 'Your paintings are lovely! How did you get into watercolor painting?'],
  ['Ada', 'My friend got me into it and gave me some advice, and I was hooked right away!'],
  ['Sam', 'Parenting is a lot. Do you take your kid to the park often?'],
  ['Ada', 'Yeah, we go a few times a week.'],
  ['Sam', 'Nice mod! What other programming languages have you worked with?'],
  ['Ada', "I haven't worked with any other programming languages, but I hope to soon."],
  ['Ada', 'We finished the school this month!', 'a photo of a newly built school with children outside'],
  ['Sam', 'Looks good! How did the extra funding help with building the school?'],
  ['Ada', 'It enabled needed repairs and renovations, making the classrooms safer for the kids.'],
  ['Sam', 'I ran a charity race for mental health last Saturday. I realized self-care is really important.'],
  ['Ada', 'Your charity race sounds amazing, Sam!'],
  ['Sam', 'Love the necklace, any special meaning to it?'],
  ['Ada', 'Thanks! It stands for love, faith and strength.']
]
const CONVERSATION = [{
  sample_id: 'conv-test',
  conversation: {
    speaker_a: 'Ada',
    speaker_b: 'Sam',
    session_1_date_time: '1:56 pm on 8 May, 2023',
    session_1: turns.map(([speaker, text, caption], i) => ({ speaker, text, dia_id: `D1:${i + 1}`, ...(caption === undefined ? {} : { blip_caption: caption }) }))
  }
}]

const FORM = {
  type: 'object',
  properties: {
    painting: { type: 'string', description: 'How did Ada get into watercolor painting?' },
    library: { type: 'string', description: 'How often does Ada take her kids to the library?' },
    languages: { type: 'string', description: 'What programming languages has Ada worked with?' },
    funding: { type: 'string', description: 'How did the extra funding help the school shown in the photo Ada shared?' },
    necklace: { type: 'string', description: 'What does Ada\'s necklace symbolize?' },
    fundingThen: { type: 'string', description: 'How did the extra funding help the school Ada built in January 2022?' }
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

  it('answers a how-question asked in other words with the reply\'s clause; a what-question needs a phrase of its kind', async () => {
    const r: AutofillResult = await checkedCall(home.me, 'autofill', { schema: FORM, extractive: true })
    // Half the question's words asked ("extra funding help … school"), and a how-answer is a clause.
    expect(String(r.value.funding)).toContain('enabled needed repairs and renovations, making the classrooms safer')
    // The same question about another time (the conversation is from May 2023): nothing said then.
    expect(r.value).not.toHaveProperty('fundingThen')
    // "Love the necklace, any special meaning to it?" asks half of "What does … necklace symbolize?", but
    // a what-answer is a phrase the answerer finds, never the reply's whole clause: none here, no value.
    expect(r.value).not.toHaveProperty('necklace')
  })
})

describe('whose thing a form question asks about', () => {
  it('counts the words the owner said or was asked, not what the owner said of the other person\'s things', async () => {
    const deps = { recall: async (q: string, k: number) => await recallFor(home.me, q, k, OWNER_SCOPE), turnBefore: turnBeforeFor(home.me, OWNER_SCOPE) }
    const share = async (question: string): Promise<number> => await ownedShare(question, 'Ada', await deps.recall(question, 8), deps)
    // Sam's race, which Ada only praised ("Your charity race …"): not Ada's.
    expect(await share('What did Ada realize after her charity race?')).toBeLessThan(OWNED)
    expect(await share('What was Ada\'s charity race for?')).toBeLessThan(OWNED)
    // Sam asked Ada about the funding, and Ada shared the photo of the school: Ada's.
    expect(await share('How did the extra funding help the school shown in the photo Ada shared?')).toBeGreaterThanOrEqual(OWNED)
  })
})
