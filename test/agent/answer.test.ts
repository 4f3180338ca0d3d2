import { describe, expect, it } from 'vitest'
import { NOT_MENTIONED, answerFrom } from '../../src/agent/answer/index.js'
import { asksSomething, parseQuestion } from '../../src/agent/answer/question.js'
import { focusPhrase, headPhrase, spanFor } from '../../src/agent/answer/spans.js'
import type { AgentMemory } from '../../src/agent/types.js'

// Turns as recall returns them (best first), from a conversation like LoCoMo's first one.
const MAY_8 = '2023-05-08T13:56:00.000Z'
const turns: AgentMemory[] = [
  { id: 'm1', speaker: 'Caroline', time: MAY_8, text: 'I went to a LGBTQ support group yesterday and it was so powerful.' },
  { id: 'm2', speaker: 'Melanie', time: MAY_8, text: 'I ran a charity race for mental health last Saturday – it was really rewarding.' },
  { id: 'm3', speaker: 'Caroline', time: MAY_8, text: 'How long have you been creating art?' },
  { id: 'm4', speaker: 'Melanie', time: MAY_8, text: 'Seven years now, and I still love it!', replyTo: 'm3' },
  { id: 'm5', speaker: 'Melanie', time: MAY_8, text: 'We go to the beach with the kids once or twice a year.' },
  { id: 'm6', speaker: 'Caroline', time: MAY_8, text: 'Thanks, Melanie! I donated my old car to a homeless shelter.' },
  { id: 'm7', speaker: 'Melanie', time: MAY_8, text: 'My favourite sports are swimming and hiking.' },
  { id: 'm8', speaker: 'Melanie', time: MAY_8, text: 'Other sports I do are running and yoga.' }
]

describe('question analysis', () => {
  it('finds the type, the person asked about and the content words', () => {
    expect(parseQuestion('When did Caroline go to the LGBTQ support group?', ['Caroline', 'Melanie'])).toMatchObject({ kind: 'when', people: ['Caroline'] })
    expect(parseQuestion('How long has Mel been creating art?', ['Caroline', 'Melanie'])).toMatchObject({ kind: 'duration', people: ['Melanie'] })
    expect(parseQuestion('How often does Melanie go to the beach?').kind).toBe('frequency')
    expect(parseQuestion('Where did she move from?').kind).toBe('where')
    expect(parseQuestion('Did Melanie run a race?').kind).toBe('yesno')
    expect(parseQuestion('What activities does Melanie partake in?').list).toBe(true)
    // Any plural noun asked for is a list, not only the listed ones; "class" is no plural.
    expect(parseQuestion('Which recipes has Maria cooked?').list).toBe(true)
    expect(parseQuestion('What class did Tim take?').list).toBe(false)
    expect(parseQuestion('What news did Evan share?').list).toBe(false)
    expect(parseQuestion('What kind of books does Caroline like?', ['Caroline']).terms).toEqual(['book'])
  })

  it('tells a sentence that asks from a greeting or a remark', () => {
    expect(['What do you enjoy?', 'Tell me about camping.', 'Could you share a photo', 'camping?'].map(asksSomething)).toEqual([true, true, true, true])
    expect(['Hi Melanie!', 'Thanks, that helps.', 'I went camping.'].map(asksSomething)).toEqual([false, false, false])
  })

  it('reads the time a question names as a span to match memories against, not as words', () => {
    const q = parseQuestion('What did Maria participate in last weekend before April 10, 2023?', ['Maria'])
    expect(q.terms).toEqual(['participat'])
    expect(q.during?.from).toBeLessThan(Date.UTC(2023, 3, 8))
    expect(q.during?.to).toBeGreaterThan(Date.UTC(2023, 3, 10))
    expect(parseQuestion('What did Maria do in May 2023?').during).toMatchObject({ from: expect.any(Number) as number })
    expect(parseQuestion('What did Maria do?').during).toBeUndefined()
  })
})

describe('short answers from memory, without a model', () => {
  it('answers "when" with the date resolved from the memory\'s own time', () => {
    const r = answerFrom('When did Caroline go to the LGBTQ support group?', turns)
    expect(r).toMatchObject({ answer: '7 May 2023', kind: 'when', supported: true, cited: ['m1'] })
    expect(r.evidence[0]?.sentence).toBe(turns[0]?.text)
    expect(answerFrom('When did Melanie run a charity race?', turns).answer).toBe('the Saturday before 8 May 2023')
  })

  it('answers quantities and frequencies, reading the reply to a recalled question', () => {
    expect(answerFrom('How long has Melanie been creating art?', turns)).toMatchObject({ answer: 'Seven years', cited: ['m4'] })
    expect(answerFrom('How often does Melanie go to the beach with her kids?', turns).answer).toBe('once or twice a year')
  })

  it('answers "how many" with the number said of the counted thing, else by counting the occasions told of', () => {
    const pets: AgentMemory[] = [{ id: 'p1', speaker: 'James', time: MAY_8, text: 'We have three dogs and a big garden.' }]
    expect(answerFrom('How many dogs does James have?', pets)).toMatchObject({ answer: 'three dogs', cited: ['p1'] })
    const injuries: AgentMemory[] = [
      { id: 'i1', speaker: 'John', time: '2023-05-01T10:00:00.000Z', text: 'I injured my ankle at practice, so no games for a while.' },
      { id: 'i2', speaker: 'John', time: '2023-08-20T10:00:00.000Z', text: 'Bad news: I injured my ankle again during the final.' },
      { id: 'i3', speaker: 'Tim', time: '2023-08-20T10:00:00.000Z', text: 'Oh no, take care of that ankle!' }
    ]
    expect(answerFrom('How many times has John injured his ankle?', injuries)).toMatchObject({ answer: 'two', cited: ['i1', 'i2'] })
  })

  it('says "not mentioned" rather than a lone verb, a greeting or a speaker\'s name', () => {
    const chat: AgentMemory[] = [
      { id: 'c1', speaker: 'Caroline', time: MAY_8, text: 'That charity race sounds great, Mel!' },
      { id: 'c2', speaker: 'Melanie', time: MAY_8, text: 'Thanks, Caroline!' }
    ]
    expect(answerFrom('What did Caroline realize after the charity race?', chat).answer).toBe(NOT_MENTIONED)
  })

  it('answers "what" with the part of the sentence the question does not already say', () => {
    expect(answerFrom('What did Caroline donate to a homeless shelter?', turns).answer).toBe('old car')
    expect(answerFrom('What did the charity race raise awareness for?', turns).answer).toBe('mental health')
  })

  it('answers "what" with the thing after the question\'s words, not the lone verb between them, and keeps a one-word activity', () => {
    // A run between the question's words that is not a lone verb is the object it leaves out.
    expect(focusPhrase('I grow cherry tomatoes on my balcony in Lisbon.', new Set(['grow', 'balconi']))).toBe('cherry tomatoes')
    const chat: AgentMemory[] = [
      { id: 'a1', speaker: 'John', time: MAY_8, text: 'Anthony and I went to this charity thing and ended up in this intense Harry Potter trivia contest.' },
      { id: 'a2', speaker: 'John', time: MAY_8, text: 'I\'ve been teaching my siblings coding.' }
    ]
    const q = parseQuestion('What did Anthony and John end up playing during the charity event?', ['John'])
    expect(focusPhrase(chat[0]?.text ?? '', new Set(q.terms))).toBe('intense Harry Potter trivia contest')
    expect(answerFrom('What has John been teaching his siblings?', chat).answer).toBe('coding')
  })

  it('answers a what-question that names a thing with the phrase naming it, from a sentence or a photo caption', () => {
    const memories: AgentMemory[] = [
      { id: 'p1', speaker: 'Melanie', time: MAY_8, text: 'I\'m into electronic and rock music.' },
      { id: 'p2', speaker: 'Melanie', time: MAY_8, text: 'Here\'s our latest work from the weekend.', extra: '[shares a photo: a painting of a sunset with a palm tree]' }
    ]
    expect(answerFrom('What kind of music does Melanie like?', memories).answer).toBe('electronic and rock music')
    const place = parseQuestion('What kind of place does Caroline want to create for people?', ['Caroline'])
    expect(headPhrase('Now I\'m passionate about creating a safe, inviting place for people to grow.', new Set(place.heads), new Set(place.terms))).toBe('safe, inviting place')
    const painted = answerFrom('What did Melanie paint?', memories)
    expect(painted.cited).toEqual(['p2'])
    expect(painted.answer).toContain('sunset with a palm tree')
  })

  it('answers "where" with a named place before a common one, and never with a person of the conversation', () => {
    const ctx = { questionTerms: new Set(['grandma']), exclude: ['Caroline', 'Melanie'] }
    expect(spanFor('where', { ...ctx, sentence: 'This necklace is a gift from my grandma in my home country, Sweden.' })).toBe('Sweden')
    expect(spanFor('where', { ...ctx, sentence: 'Hey Melanie!' })).toBeUndefined()
    // A weekday, even plural, is a time: the place is the common one.
    expect(spanFor('where', { ...ctx, sentence: 'I teach yoga on Sundays in the park.' })).toBe('the park')
  })

  it('prefers the sentence of the memory recall scored higher when the words tie (recall also weighs meaning)', () => {
    const others: AgentMemory[] = ['I went swimming.', 'We had pizza.', 'The kids love the beach.'].map((text, i) => ({ id: `o${i}`, speaker: 'Melanie', time: MAY_8, text, score: 0 }))
    const painted = (scores: [number, number]): AgentMemory[] => [
      { id: 'a', speaker: 'Melanie', time: MAY_8, text: 'I painted a lake.', score: scores[0] },
      { id: 'b', speaker: 'Melanie', time: MAY_8, text: 'I painted a sunset.', score: scores[1] },
      ...others
    ]
    expect(answerFrom('What did Melanie paint?', painted([1, 9]))).toMatchObject({ answer: 'sunset', cited: ['b'] })
    expect(answerFrom('What did Melanie paint?', painted([9, 1]))).toMatchObject({ answer: 'lake', cited: ['a'] })
    // Two memories (a narrow grant): their standardised scores say nothing, the words decide alike.
    const two = (scores: [number, number]): AgentMemory[] => painted(scores).slice(0, 2)
    expect(answerFrom('What did Melanie paint?', two([1, 9])).cited).toEqual(answerFrom('What did Melanie paint?', two([9, 1])).cited)
  })

  it('lists several parts for a question that asks for several things', () => {
    const r = answerFrom('What sports does Melanie do?', turns)
    expect(r.answer).toBe('swimming and hiking, running and yoga')
    expect(r.cited).toEqual(['m7', 'm8'])
  })

  it('answers only the sentences that ask something, not a greeting before the question', () => {
    // A peer's vault as converse sees it (no speakers): the greeting's name matches the bio memory.
    const vault: AgentMemory[] = [
      { id: 'b1', time: MAY_8, text: 'Melanie likes to talk about camping, family, painting.' },
      { id: 'b2', time: MAY_8, text: 'Hey Caroline! Camping in the mountains with the kids was the best, we roasted marshmallows.' },
      { id: 'b3', time: MAY_8, text: 'I love camping because the kids unplug and we explore nature together.' }
    ]
    const alone = answerFrom('What do you enjoy about camping?', vault)
    expect(answerFrom('Hi Melanie! What do you enjoy about camping?', vault)).toMatchObject({ answer: alone.answer, cited: alone.cited })
    expect(alone.cited).toEqual(['b3'])
    // Two asking sentences are still answered each; a text that asks nothing is answered whole.
    expect(answerFrom('Hi! How long has Melanie been creating art? How often does Melanie go to the beach with her kids?', turns).answer).toBe('Seven years; once or twice a year')
    expect(answerFrom('Melanie, beach with the kids.', turns).cited).toEqual(['m5'])
  })

  it('says "not mentioned" when the evidence is about someone else or does not exist', () => {
    // Melanie ran the race: a question about Caroline's race is not supported.
    expect(answerFrom('When did Caroline run a charity race for mental health?', turns)).toMatchObject({ answer: NOT_MENTIONED, supported: false, cited: [] })
    expect(answerFrom('What is the name of Caroline\'s cat?', turns).answer).toBe(NOT_MENTIONED)
    expect(answerFrom('What did Caroline paint?', []).answer).toBe(NOT_MENTIONED)
  })
})
