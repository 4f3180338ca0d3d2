import { terms } from './analyse.js'
import type { Fact, FactCategory } from './facts/types.js'

export interface BioSentence {
  text: string
  /** The facts the sentence states. */
  facts: string[]
}

export interface Bio {
  /** Whose bio it is. */
  person: string
  /** The bio as running text: third person, one sentence per line of `sentences`. */
  summary: string
  sentences: BioSentence[]
  /** The facts it was built from, with provenance. */
  facts: Array<{ id: string, text: string, time?: string }>
  topics: string[]
}

/** The longest bio, in words (the profile shows it whole). */
export const BIO_WORDS = 300

/** Order of the bio's parts: who they are, what they do, where, who matters, what they care about, then what happened and what is planned. */
const SECTIONS: FactCategory[] = ['identity', 'work', 'places', 'relationships', 'health', 'hobbies', 'possessions', 'events', 'plans', 'opinions', 'other']
/** How much a category tells about a life (life events and plans most). */
const WEIGHT: Record<FactCategory, number> = { identity: 3, work: 2.5, places: 2, relationships: 2, health: 2, events: 3, plans: 2.5, hobbies: 1.5, possessions: 1.2, opinions: 0.6, other: 0.8 }
const EVENT = /\b(went|started|joined|attended|adopted|moved|bought|got|finished|won|began|visited|met|took|signed|received|lost|graduated|married|applied|launched|ran|made|created|painted|travel+ed|hosted|organi[sz]ed|volunteered|celebrated)\b/i

/**
 * A person's bio from their facts (already limited to what the reader may see): per day of
 * conversation the facts that tell most about their life, short, grouped from who they are to what
 * they plan, within BIO_WORDS words. Every sentence cites the fact it states.
 */
export function personBio (facts: readonly Fact[], person: string, topics: string[] = []): Bio {
  // Only facts whose main clause names the person read on their own in a bio.
  const own = facts.filter(f => f.person.toLowerCase() === person.toLowerCase() && firstClause(f.text).includes(f.person))
  const chosen = choose(own)
  const order = (f: Fact): number => SECTIONS.indexOf(f.category)
  chosen.sort((a, b) => order(a) - order(b) || (a.time ?? '').localeCompare(b.time ?? ''))
  const sentences = chosen.map(f => ({ text: sentence(f), facts: [f.id] }))
  const summary = sentences.length === 0 ? `Nothing is known about ${person} yet.` : sentences.map(s => s.text).join(' ')
  return {
    person, summary, sentences, topics,
    facts: chosen.map(f => ({ id: f.id, text: f.text, ...(f.time === undefined ? {} : { time: f.time }) }))
  }
}

/** Round-robin over the days the person spoke: each day's most telling fact first, until the budget. */
function choose (facts: readonly Fact[]): Fact[] {
  const byDay = new Map<string, Fact[]>()
  for (const f of facts) {
    const day = (f.said ?? '').slice(0, 10)
    byDay.set(day, [...(byDay.get(day) ?? []), f])
  }
  const queues = [...byDay.values()].map(list => [...list].sort((a, b) => weight(b) - weight(a)))
  const out: Fact[] = []
  let words = 0
  for (let round = 0; round < 4; round++) {
    for (const q of queues) {
      const f = q[round]
      if (f === undefined || (round > 0 && weight(f) < 2)) continue
      const n = sentence(f).split(/\s+/).length
      if (words + n > BIO_WORDS) continue
      out.push(f); words += n
    }
  }
  return out
}

function weight (f: Fact): number {
  const clause = firstClause(f.text)
  const n = terms(clause).length
  return WEIGHT[f.category] + (EVENT.test(clause) ? 1.5 : 0) + (n >= 3 && n <= 12 ? 0.5 : 0) - (n > 16 ? 1 : 0)
}

function firstClause (text: string): string {
  return text.split(/;\s+/)[0] ?? text
}

/** The fact's main clause as a sentence. */
function sentence (f: Fact): string {
  const s = firstClause(f.text).trim().replace(/[.!]+$/, '')
  return `${s}.`
}
