import { answerFrom } from '../answer/index.js'
import { parseQuestion } from '../answer/question.js'
import { isQuestion } from '../answer/select.js'
import { isVague } from '../answer/spans.js'
import { identifierWords, overlap, sentences, terms } from '../../util/text.js'
import type { ScopedMemory } from '../memory-access.js'
import { categoryOf, categoryValue } from './categories.js'
import { fieldLabel, type FormField } from './fields.js'
import { SECOND_PERSON } from './ownership.js'
import { replyValue, type TurnBefore } from './replies.js'

/** A value found for a field, with the memory it came from. */
export interface Found {
  value: string | number
  memoryId: string
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/
const PHONE = /\+?\d[\d\s().-]{6,}\d/
const URL_RE = /https?:\/\/[^\s)]+/
const NUMBER = /-?\d+(?:\.\d+)?/
const DATE = /\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*,?\s+\d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+\d{1,2},?\s+\d{4})\b/i

/** Minimum share of the field's terms a sentence must contain to count as evidence. */
const MIN_EVIDENCE = 0.34

interface Candidate { sentence: string, memory: ScopedMemory, score: number }

/**
 * Sentences of the recalled memories that speak to the field. The owner's own name is dropped from
 * the field's terms (the owner says "I", not their name); the owner's own words and recall's order
 * break ties.
 */
function candidates (field: FormField, context: string, memories: readonly ScopedMemory[], owner?: string): Candidate[] {
  const ownerTerms = new Set(owner === undefined ? [] : terms(owner))
  const fieldTerms = terms(fieldLabel(field)).filter(t => !ownerTerms.has(t))
  const contextTerms = terms(context)
  const out: Candidate[] = []
  memories.forEach((memory, rank) => {
    const own = owner !== undefined && memory.speaker?.toLowerCase() === owner.toLowerCase()
    for (const sentence of sentences(memory.text)) {
      const evidence = overlap(fieldTerms, sentence) + 0.2 * overlap(contextTerms, sentence)
      if (evidence >= MIN_EVIDENCE) out.push({ sentence, memory, score: evidence + (own ? 0.1 : 0) + 0.05 / (rank + 1) })
    }
  })
  return out.sort((a, b) => b.score - a.score)
}


export function kindOf (field: FormField): 'email' | 'phone' | 'url' | 'date' | 'place' | 'other' {
  const label = fieldLabel(field).toLowerCase()
  if (field.type === 'string' && /\b(city|town|hometown|location|where you live)\b/.test(label)) return 'place'
  if (field.format === 'email' || /e-?mail/.test(label)) return 'email'
  if (/phone|mobile|\btel\b/.test(label)) return 'phone'
  if (field.format === 'uri' || /website|homepage|\burl\b/.test(label)) return 'url'
  if (field.format === 'date' || /birthday|date of birth|\bdate\b|\bborn\b/.test(label)) return 'date'
  return 'other'
}

/** Words people use around a patterned value ("reach me at …"): recall finds the memory by these. */
export const KIND_HINTS: Record<ReturnType<typeof kindOf>, string> = {
  email: 'email mail contact reach write',
  phone: 'phone call number mobile reach contact',
  url: 'website site blog homepage link',
  date: 'born birthday date',
  place: 'live living based moved',
  other: ''
}

/** Patterned values (email, phone, URL, date) are searched in every given memory, not only matching sentences. */
function findPattern (pattern: RegExp, memories: readonly ScopedMemory[]): Found | undefined {
  for (const memory of memories) {
    const match = memory.text.match(pattern)
    const value = match?.[1] ?? match?.[0]
    if (value !== undefined) return { value: value.trim(), memoryId: memory.id }
  }
  return undefined
}

/** "my favourite colour is green" → "green" for a field about favourite colour. */
function cueValue (field: FormField, sentence: string): string | undefined {
  const want = terms(identifierWords(field.path.at(-1) ?? ''))
  if (want.length === 0) return undefined
  // "my <a short phrase holding every word of the field's name> is <value>"
  const cue = new RegExp(`\\b(?:my|our)\\s+((?:[\\w'’-]+\\s+){1,${2 * want.length + 1}}?)(?:is|are|was)\\s+([^.,;!?]+)`, 'gi')
  for (const match of sentence.matchAll(cue)) {
    const said = new Set(terms(match[1] ?? ''))
    if (want.every(t => said.has(t))) return match[2]?.trim()
  }
  return undefined
}

function clipTo (text: string, max: number | undefined): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return max === undefined || flat.length <= max ? flat : flat.slice(0, max).trim()
}

/** A profile phrase of the field's category ("I'm Alex, a marine biologist" → "marine biologist"). */
function profileValue (field: FormField, memories: readonly ScopedMemory[]): Found | undefined {
  const category = categoryOf(field)
  if (category === undefined) return undefined
  for (const memory of memories) {
    const value = categoryValue(category, memory.text)
    if (value !== undefined) return { value, memoryId: memory.id }
  }
  return undefined
}

/** Longest reply value: a reply to the field's own question may answer in a clause ("It enabled needed repairs …"). */
const MAX_REPLY_WORDS = 25

/** Share of the field question's words the evidence must hold: a form value needs stronger support than a chat answer. */
const FORM_SUPPORT = 0.5

// Modifiers that do not tell which one ("a new team", "a major challenge"): a value must say more than these and the question.
const GENERIC = new Set(terms('new old major minor big small huge great first last recent other own same certain main whole'))

/** True when the value names something the field's question does not already say. */
function saysMore (value: string, question: string): boolean {
  const asked = new Set(terms(question))
  return terms(value).some(t => !asked.has(t) && !GENERIC.has(t))
}

/** The field as a question to the answerer: its own wording when it is one, else "What is <owner>'s <label>?". */
export function fieldQuestion (field: FormField, owner?: string): string {
  const text = field.description ?? field.title ?? ''
  if (text.trim().endsWith('?')) return text.trim()
  const label = (field.title ?? field.path.at(-1) ?? '').replace(/[_-]+/g, ' ')
  return `What is ${owner === undefined ? 'my' : `${owner}'s`} ${label}${field.description === undefined ? '' : ` (${field.description})`}?`
}

/**
 * Values memory supports for one field, best first: a pattern (email, phone, URL, date), a profile
 * phrase ("allergic to peanuts" → "peanuts"), a "my <field> is …" cue, then the short answer to the
 * field's question drawn from the evidence. Empty when nothing supports a value: nothing is composed.
 */
export function fieldCandidates (field: FormField, context: string, memories: readonly ScopedMemory[], owner?: string, turnBefore?: TurnBefore, factSources?: ReadonlySet<string>): Found[] {
  const kind = kindOf(field)
  const patterned = kind === 'email' ? findPattern(EMAIL, memories) : kind === 'phone' ? findPattern(PHONE, memories) : kind === 'url' ? findPattern(URL_RE, memories) : undefined
  if (kind === 'email' || kind === 'phone' || kind === 'url') return patterned === undefined ? [] : [patterned]
  const ranked = candidates(field, context, memories, owner)
  if (kind === 'date') {
    return ranked.flatMap(c => { const date = c.sentence.match(DATE)?.[0]; return date === undefined ? [] : [{ value: date, memoryId: c.memory.id }] }).slice(0, 1)
  }
  if (field.type === 'boolean') return []
  // A form about the owner is filled from what the owner said (or wrote), never from what others said;
  // what others said still tells the answerer when the evidence is about someone else.
  const all = memories
  memories = memories.filter(m => ownedBy(m.speaker, owner))
  const out: Found[] = []
  const profile = profileValue(field, memories)
  if (profile !== undefined) out.push(profile)
  for (const c of ranked) {
    const cue = cueValue(field, c.sentence)
    if (cue !== undefined) out.push({ value: cue, memoryId: c.memory.id })
  }
  if (field.enum !== undefined || field.type !== 'string') {
    for (const c of ranked) { const v = valueFrom(field, c); if (v !== undefined) out.push(v) }
  } else {
    // Only statements count: a question the owner asked back is no evidence of a value.
    const statements = (owner === undefined ? memories : all).filter(m => !m.text.trimEnd().endsWith('?'))
    const question = fieldQuestion(field, owner)
    // Someone asked the owner this very question: their reply is the evidence, in their own words.
    const reply = owner === undefined || turnBefore === undefined ? undefined : replyValue(question, all, owner, turnBefore)
    if (reply !== undefined && typeof reply.value === 'string' && saysMore(reply.value, question) && reply.value.split(/\s+/).length <= MAX_REPLY_WORDS) out.push({ ...reply, value: clipTo(reply.value, field.maxLength ?? 300) })
    const short = answerFrom(question, statements, { maxParts: 1, minSupport: FORM_SUPPORT, ...(factSources === undefined ? {} : { factSources }) })
    if (short.supported && short.typed && short.kind !== 'yesno' && saysMore(short.answer, question) && !isVague(short.answer) && short.answer.split(/\s+/).length <= 12) {
      // The answer's main evidence must be the owner's own words, or a statement said to the owner
      // ("Your cooking class sounds fun"): what someone else said of themselves is theirs.
      const first = short.evidence[0]
      if (first !== undefined && (ownedBy(first.speaker, owner) || (SECOND_PERSON.test(first.sentence) && !isQuestion(first.sentence)))) out.push({ value: clipTo(short.answer, field.maxLength ?? 300), memoryId: first.id })
    }
  }
  const seen = new Set<string>()
  return out.filter(f => typeof f.value !== 'string' || !isVague(f.value)).filter(saidThen(field, all)).filter(f => !seen.has(String(f.value).toLowerCase()) && seen.add(String(f.value).toLowerCase()) !== undefined)
}

/**
 * A question naming a time ("in April 2022") asks about what happened then: a value must come from
 * a memory said within that span (question.ts widens it by a week), not from another occasion.
 */
function saidThen (field: FormField, memories: readonly ScopedMemory[]): (found: Found) => boolean {
  // The field's question is parsed once, not once per value.
  const during = parseQuestion(fieldQuestion(field)).during
  if (during === undefined) return () => true
  return found => {
    const time = Date.parse(memories.find(m => m.id === found.memoryId)?.time ?? '')
    return !Number.isNaN(time) && time >= during.from && time <= during.to
  }
}

/** True when a memory said by `speaker` is the owner's (or nobody's in particular: a note). */
const ownedBy = (speaker: string | undefined, owner: string | undefined): boolean =>
  speaker === undefined || owner === undefined || speaker.toLowerCase() === owner.toLowerCase()

function valueFrom (field: FormField, c: Candidate): Found | undefined {
  const at = { memoryId: c.memory.id }
  if (field.enum !== undefined) {
    const have = new Set(terms(c.sentence))
    const option = field.enum.find(o => terms(String(o)).every(t => have.has(t)))
    return option === undefined ? undefined : { value: option, ...at }
  }
  if (field.type === 'number' || field.type === 'integer') {
    const n = c.sentence.match(NUMBER)?.[0]
    if (n === undefined) return undefined
    const value = Number(n)
    if (field.type === 'integer' && !Number.isInteger(value)) return undefined
    return { value, ...at }
  }
  return undefined
}
