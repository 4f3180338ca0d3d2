import { createHash } from 'node:crypto'
import { VISIBILITIES, type Visibility } from '../../scope.js'
import { categorise } from './category.js'
import { concise, DEFAULT_CLAUSES, type ClauseTuning } from './clauses.js'
import { terms } from '../../util/text.js'
import { findDates, resolveRelative } from '../dates.js'
import { dot, isFirstPerson, sigmoid, turnFeatures } from './features.js'
import { toThirdPerson } from './person.js'
import { asStatement, isQuestion, splitSentences, stripChatter } from './sentences.js'
import type { ExtractOptions, Fact, FactSource } from './types.js'

/** Fitted by scripts/fit-facts.ts (logistic regression by Newton's method, FEATURE_NAMES order). */
export const WEIGHTS: readonly number[] = [0.39, -0.053, 0.632, -0.046, -0.242, -0.214, 0.377, 0.661, -0.159, 0.019, -0.58, 0.447, -0.16, 0.164, 1.016, 0.647, 0.363, 0.14, -0.001, 0.502, -0.188, -0.437, 0.294, -0.12, -0.188, -1.143, 0.526, -0.733, -0.172]
/** A turn yields facts when its probability of stating something about its speaker reaches this. */
export const THRESHOLD = 0.26
/** At most this many statements from one turn (a compound turn splits into several facts). */
export const MAX_PER_TURN = 1

export interface Candidate {
  source: FactSource
  person: string
  other?: string
  statements: string[]
  features: number[]
}

/** Every item said by someone (or written by the owner) with its statements and features. */
export function candidates (items: readonly FactSource[], options: ExtractOptions = {}): Candidate[] {
  const byThread = new Map<string, FactSource[]>()
  for (const i of items) {
    const list = byThread.get(i.thread)
    if (list === undefined) byThread.set(i.thread, [i])
    else list.push(i)
  }
  const out: Candidate[] = []
  for (const list of byThread.values()) {
    list.sort((a, b) => a.seq - b.seq)
    const names = [...new Set(list.flatMap(i => i.speaker === undefined ? [] : [i.speaker]))]
    const persons = list.map(i => personOf(i.speaker, options.owner))
    const others = addressees(list, persons)
    list.forEach((item, at) => {
      const person = persons[at]
      if (person === undefined) return
      const other = others[at]
      const statements = splitSentences(item.text).map(s => stripChatter(s, names))
        .filter(s => !isQuestion(s) && s.split(/\s+/).length >= 3)
      if (statements.length === 0) return
      const prev = list[at - 1]
      const previous = prev !== undefined && prev.speaker !== item.speaker ? prev.text : undefined
      const nextItem = list[at + 1]
      const next = nextItem !== undefined && nextItem.speaker !== item.speaker ? nextItem.text : undefined
      const features = turnFeatures({ text: item.text, statements, photo: item.extra !== undefined, seq: item.seq, length: list.length, names, ...(previous === undefined ? {} : { previous }), ...(next === undefined ? {} : { next }) })
      out.push({ source: item, person, ...(other === undefined ? {} : { other }), statements, features })
    })
  }
  return out
}

/** Who an item is about: its speaker; the owner for notes and for an export's "user" / "me". */
function personOf (speaker: string | undefined, owner: string | undefined): string | undefined {
  if (speaker === undefined || OWNER_ALIASES.has(speaker.toLowerCase())) return owner ?? speaker
  return speaker
}
const OWNER_ALIASES = new Set(['user', 'me', 'owner', 'i'])

interface Seen { name: string, at: number }
/** Scanning `order`, the two most recent distinct named speakers before each position. */
function lastTwo (list: readonly FactSource[], order: readonly number[]): Array<[Seen | undefined, Seen | undefined]> {
  const out = new Array<[Seen | undefined, Seen | undefined]>(list.length)
  let a: Seen | undefined
  let b: Seen | undefined
  for (const at of order) {
    out[at] = [a, b]
    const name = list[at]?.speaker
    if (name === undefined || OWNER_ALIASES.has(name.toLowerCase())) continue
    if (a !== undefined && a.name !== name) b = a
    a = { name, at }
  }
  return out
}

/**
 * For each item, the person spoken to: the nearest other named speaker before or after it in its
 * thread (before on a tie). Linear in the thread's length, however few speakers it has.
 */
function addressees (list: readonly FactSource[], persons: ReadonlyArray<string | undefined>): Array<string | undefined> {
  const forward = list.map((_, i) => i)
  const before = lastTwo(list, forward)
  const after = lastTwo(list, forward.reverse())
  return list.map((_, at) => {
    const person = persons[at]
    const other = ([a, b]: [Seen | undefined, Seen | undefined]): Seen | undefined => a?.name !== person ? a : b
    const x = other(before[at] ?? [undefined, undefined])
    const y = other(after[at] ?? [undefined, undefined])
    if (x === undefined) return y?.name
    return y === undefined || at - x.at <= y.at - at ? x.name : y.name
  })
}

export interface ExtractTuning { weights: readonly number[], threshold: number, maxPerTurn: number, clauses?: ClauseTuning }
const DEFAULT_TUNING: ExtractTuning = { weights: WEIGHTS, threshold: THRESHOLD, maxPerTurn: MAX_PER_TURN, clauses: DEFAULT_CLAUSES }

/** Facts from L0 items: from each telling item its statements about its speaker, in the third person. */
export function extractFacts (items: readonly FactSource[], options: ExtractOptions = {}, tuning: ExtractTuning = DEFAULT_TUNING): Fact[] {
  const facts: Fact[] = []
  for (const c of candidates(items, options)) {
    if (sigmoid(dot(tuning.weights, c.features)) < tuning.threshold) continue
    for (const sentence of pick(c.statements, tuning.maxPerTurn)) facts.push(toFact(c, sentence, tuning.clauses ?? DEFAULT_CLAUSES))
  }
  return facts
}

/** Closing and chatter sentences that say nothing about anyone. */
const SIGN_OFF = /^(talk|see|catch|chat|speak)\b.*\b(you|ya|soon|later)\b|^(here'?s|this is) (a |my |the )?(pic|photo|picture|snap)|^(bye|take care|good luck|have (a|fun)|keep (it up|going|at it)|you got this|since we last)|\b(catch up|chat soon|talk soon|see you)\b/i
/** Openers that announce news or manage the chat ("So much has happened since we last spoke", "Glad you asked"). */
const PREAMBLE = /^(?:glad|sorry|thanks?|thank you)\b.*\b(?:asked|that|about that|for asking)\.?$|\b(?:much|lots|a lot|so many things) (?:has |have )?(?:happened|been going on|going on)\b|\bsince (?:we|I) last (?:spoke|talked|chatted|caught up)\b|\b(?:happened|changed|gone on|going on|a while|forever|days|weeks|time)\s+since (?:we|I) (?:spoke|talked|chatted|caught up)\b|\b(?:stuff|things) (?:has|have) been (?:going on|happening)\b|^guess what|^long time no|\bbeen a while\b|^let me (?:tell|fill) you/i

/** Intensifiers add words, not content. */
const FILLER = /\b(so|really|super|pretty|totally|definitely|actually|just|very|truly|literally|kinda|sort of|kind of|even|also|honestly|basically|seriously)\s+(?=\w)/gi
/** Asides set off by commas ("Running is, you know, my way to relax"), not the verb ("let you know"). */
const ASIDE = /,?\s*(?<![\w'’] )\b(?:you know|I mean),\s*/gi
/** Hedges and add-ons that close a clause ("…, too", "…, though"). */
const TAIL = /,?\s+\b(too|though|as well|anyway)(?=\s*[.!;,]*$)/i

/** A catching-up opener in front of the news ("Since our last chat, Caroline has been …"). */
const OPENER = /^(?:since (?:our|my|the) last (?:chat|talk|conversation)|since we (?:spoke|talked|chatted|caught up)(?: last)?|in the meantime)\s*,\s*/i

function plain (sentence: string): string {
  return sentence.replace(OPENER, '').replace(ASIDE, ' ').replace(FILLER, '').replace(TAIL, '').replace(/\s{2,}/g, ' ')
}

function lowerStart (s: string): string {
  return /^(I\b|I['’])/.test(s) || /^[A-Z][a-z]+['’]s\b/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1)
}

/** Longest fact text, in words: a turn's statements beyond it are cut at a sentence boundary. */
export const MAX_WORDS = 40

/**
 * The text of a turn's fact: its statements about the speaker (and what follows them), joined,
 * without pure reactions ("It was so awesome."), up to MAX_WORDS.
 */
function pick (statements: readonly string[], max: number): string[] {
  const useful = statements.filter(s => terms(s).length >= 2 && !SIGN_OFF.test(s) && !PREAMBLE.test(s)).map(plain)
  const start = Math.max(0, useful.findIndex(isFirstPerson))
  const out: string[] = []
  let words = 0
  for (const s of useful.slice(start)) {
    const n = s.split(/\s+/).length
    if (out.length > 0 && words + n > MAX_WORDS) break
    out.push(s); words += n
  }
  return out.length === 0 ? [] : max === 1 ? [out.map((x, i) => i === 0 ? x.replace(/[.!]+$/, '') : lowerStart(x.replace(/[.!]+$/, ''))).join('; ')] : out.slice(0, max)
}

/** A fact names its person: one that does not ("Researching adoption agencies.") is attributed. */
function named (text: string, person: string): string {
  const first = person.split(/\s+/)[0] ?? person
  return new RegExp(`\\b${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text) ? text : `${person}: ${text}`
}

function toFact (c: Candidate, sentence: string, clauses: ClauseTuning): Fact {
  const s = c.source
  const third = named(asStatement(toThirdPerson(sentence, c.person, c.other)), c.person)
  // Relative times are resolved against when the source was said: "yesterday" → "on 7 May 2023".
  // The date search (chrono) is the slow part: once per fact, for both the text and the time.
  const mentions = s.time === undefined ? [] : findDates(third, s.time)
  const text = concise(s.time === undefined ? third : resolveRelative(third, s.time, mentions), c.person, c.other, clauses)
  const when = mentions[0]
  const time = when === undefined ? s.time : new Date(`${when.date}T00:00:00.000Z`).toISOString()
  return {
    id: `f${createHash('sha256').update(`${s.id}\n${text}`).digest('hex').slice(0, 20)}`,
    person: c.person, text, category: categorise(third), sources: [s.id], refs: s.ref === undefined ? [] : [s.ref],
    ...(time === undefined ? {} : { time }),
    ...(s.time === undefined ? {} : { said: s.time }),
    seq: s.seq,
    visibility: s.visibility
  }
}

/** The strictest of some visibilities (private < shareable < public). */
export function strictest (list: readonly Visibility[]): Visibility {
  return VISIBILITIES.find(v => list.includes(v)) ?? 'private'
}
