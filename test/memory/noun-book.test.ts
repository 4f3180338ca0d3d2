import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NounBook } from '../../src/memory/noun-book.js'
import { nounBook, threadTopics } from '../../src/memory/topics.js'
import { terms } from '../../src/util/text.js'
import { SHARED } from '../helpers/tmp.js'

type Sample = { conversation: Record<string, unknown> }

/** The sessions of the first LoCoMo dev conversations as threads of turn texts. */
async function sessions (samples: number): Promise<string[][]> {
  const data = JSON.parse(await readFile(join(SHARED, 'data', 'locomo', 'dev.json'), 'utf8')) as Sample[]
  return data.slice(0, samples).flatMap(s => Object.entries(s.conversation)
    .filter(([k, v]) => /^session_\d+$/.test(k) && Array.isArray(v))
    .map(([, v]) => (v as Array<{ text: string, blip_caption?: string }>).map(t => `${t.text} ${t.blip_caption ?? ''}`)))
}

/** Labels of each thread in order, the document frequencies growing as a write's index would. */
function labels (threads: string[][], book?: NounBook): string[][] {
  const df = new Map<string, number>()
  let total = 0
  return threads.map(texts => {
    const out = threadTopics(texts, t => df.get(t) ?? 0, total, 2, book)
    for (const text of texts) for (const t of new Set(terms(text))) df.set(t, (df.get(t) ?? 0) + 1)
    total += texts.length
    return out
  })
}

describe('noun book (tagger decisions shared by the threads of a write)', () => {
  it('settles a word only after enough passages that all agree, and starts over when full', () => {
    const book = new NounBook(3, 2)
    book.record('pot', ['pottery'])
    book.record('pot', ['pottery'])
    expect(book.settled('pot')).toBeUndefined()
    book.record('pot', ['pottery'])
    expect([...book.settled('pot') ?? []]).toEqual(['pottery'])
    for (let i = 0; i < 3; i++) book.record('run', i === 0 ? ['running'] : [])
    expect(book.settled('run')).toBeUndefined()
    book.record('walk', [])
    expect(book.settled('pot')).toBeUndefined()
    for (let i = 0; i < 3; i++) book.record('walk', [])
    expect(book.settled('walk')).toBeNull()
  })

  it('labels LoCoMo sessions as tagging every thread does (>= 90 % of sessions the same, the rest mostly)', async () => {
    const threads = await sessions(3)
    const alone = labels(threads)
    const shared = labels(threads, nounBook())
    const same = alone.filter((l, i) => JSON.stringify(l) === JSON.stringify(shared[i])).length
    const overlap = alone.reduce((n, l, i) => n + l.filter(x => shared[i]?.includes(x) === true).length, 0)
    expect(threads.length).toBeGreaterThan(30)
    expect(same / threads.length).toBeGreaterThanOrEqual(0.9)
    expect(overlap / alone.flat().length).toBeGreaterThanOrEqual(0.95)
    expect(shared.flat().length).toBe(alone.flat().length)
  })
})
