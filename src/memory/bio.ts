import { terms } from '../util/text.js'
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
 * they plan, within BIO_WORDS words. Every sentence cites the fact it states; a dated fact opens
 * with its month ("In June 2023, …") when the month changes, instead of a date phrase of its own.
 */
export function personBio (facts: readonly Fact[], person: string, topics: string[] = []): Bio {
  // Only facts whose main clause names the person and says something ("Caroline agrees" does not)
  // read on their own in a bio.
  const own = facts.filter(f => f.person.toLowerCase() === person.toLowerCase() && mainClause(f.text).includes(f.person) && terms(mainClause(f.text)).length >= MIN_TERMS)
  const chosen = choose(own)
  const order = (f: Fact): number => SECTIONS.indexOf(f.category)
  chosen.sort((a, b) => order(a) - order(b) || (a.time ?? '').localeCompare(b.time ?? ''))
  const sentences: BioSentence[] = []
  let month = ''
  let words = 0
  for (const f of chosen) {
    const { text, when } = dated(f)
    const opens = when !== undefined && when !== month
    const s = opens ? `In ${when}, ${lowerStart(text, f.person)}` : text
    const n = wordCount(s)
    if (words + n > BIO_WORDS) continue
    if (when !== undefined) month = when
    sentences.push({ text: s, facts: [f.id] }); words += n
  }
  const kept = new Set(sentences.flatMap(s => s.facts))
  const summary = sentences.length === 0 ? `Nothing is known about ${person} yet.` : sentences.map(s => s.text).join(' ')
  return {
    person, summary, sentences, topics,
    facts: chosen.filter(f => kept.has(f.id)).map(f => ({ id: f.id, text: f.text, ...(f.time === undefined ? {} : { time: f.time }) }))
  }
}

/** Without a configured owner: the person with the most facts (a conversation export's user). */
export function mainPerson (facts: readonly Fact[]): string | undefined {
  const counts = new Map<string, number>()
  for (const f of facts) counts.set(f.person, (counts.get(f.person) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}

/** Content words (the name counts) a bio line needs. */
const MIN_TERMS = 3
/** A day's facts said earlier in the conversation come first: news is usually told at the start. */
const EARLY = 4

/**
 * Round-robin over the days the person spoke: each day's most telling fact first (what it says,
 * and how early in the day's conversation it was said), until the budget.
 */
function choose (facts: readonly Fact[]): Fact[] {
  const byDay = new Map<string, Fact[]>()
  for (const f of facts) {
    const day = (f.said ?? '').slice(0, 10)
    byDay.set(day, [...(byDay.get(day) ?? []), f])
  }
  const queues = [...byDay.values()].map(list => [...list]
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
    .map((f, rank) => ({ f, w: weight(f) + EARLY / (1 + rank) }))
    .sort((a, b) => b.w - a.w)
    .map(x => x.f))
  const out: Fact[] = []
  let words = 0
  for (let round = 0; round < 4; round++) {
    for (const q of queues) {
      const f = q[round]
      if (f === undefined) continue
      const { text, when } = dated(f)
      const n = wordCount(text) + (when === undefined ? 0 : 1)
      if (words + n > BIO_WORDS) continue
      out.push(f); words += n
    }
  }
  return out
}

function weight (f: Fact): number {
  const clause = mainClause(f.text)
  const n = terms(clause).length
  return WEIGHT[f.category] + (EVENT.test(clause) ? 1.5 : 0) + (n >= 3 && n <= 12 ? 0.5 : 0) - (n > 16 ? 1 : 0)
}

/** The fact's first statement up to its first coordinated clause or aside: what a bio line needs. */
function mainClause (text: string): string {
  const first = text.split(/;\s+/)[0] ?? text
  return first.split(/,\s+(?:and|but|which|so|because)\s+|\s+[–—-]\s+/)[0] ?? first
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** A resolved time phrase ("on 7 May 2023", "in the week before 9 June 2023", "in June 2023"). */
const DATE_PHRASE = /\s*,?\s*\b(?:(?:[Oo]n|[Ii]n|[Dd]uring|[Aa]t|[Oo]ver)\s+)?(?:(?:the|a|few|two|three|\d+)\s+)?(?:[A-Za-z]+\s+)?(?:before|after)\s+\d{1,2} [A-Z][a-z]+ \d{4}|\s*,?\s*\b(?:[Oo]n|[Ii]n)\s+(?:\d{1,2} )?[A-Z][a-z]+ \d{4}/g

/** The fact's main clause as a sentence, and its month when it carried a resolved date phrase. */
function dated (f: Fact): { text: string, when?: string } {
  const clause = mainClause(f.text).trim().replace(/[.!]+$/, '')
  const bare = clause.replace(DATE_PHRASE, '').replace(/^\s*,\s*/, '').trim()
  if (bare === clause || f.time === undefined || wordCount(bare) < 3) return { text: `${clause}.` }
  const d = new Date(f.time)
  return { text: `${bare.charAt(0).toUpperCase()}${bare.slice(1)}.`, when: `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}` }
}

/** A sentence after "In June 2023, ": a leading common word goes lower case, a name stays. */
function lowerStart (text: string, person: string): string {
  return !text.startsWith(person) && COMMON_START.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text
}
const COMMON_START = /^(The|A|An|One|Some|This|That|These|Those|It|Its|There|Since|After|Before|Recently|Last|Her|His|Their|Our|We|They|She|He|When|While|At|On|In)\b/

function wordCount (s: string): number {
  return s.split(/\s+/).filter(Boolean).length
}
