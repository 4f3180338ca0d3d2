import { overlap, sentences, terms } from '../text.js'
import type { ScopedMemory } from '../memory-access.js'
import { fieldLabel, type FormField } from './fields.js'

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

const PLACE = /\b(?:live|living|based|moved|reside)\s+(?:in|to)\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)/

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
  const last = field.path.at(-1) ?? ''
  const words = terms(last).join('\\s+\\w*\\s*')
  if (words === '') return undefined
  const match = sentence.match(new RegExp(`\\b(?:my|our)\\s+(?:\\w+\\s+)?${words}\\w*\\s+(?:is|are|was)\\s+([^.,;!?]+)`, 'i'))
  return match?.[1]?.trim()
}

function clipTo (text: string, max: number | undefined): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return max === undefined || flat.length <= max ? flat : flat.slice(0, max).trim()
}

/**
 * The value of one field from memory, or undefined when no memory supports one. Never composes
 * text: a value is a pattern match, an enum option named in a memory, a number from a matching
 * sentence, or a quoted (possibly clipped) sentence.
 */
export function extractField (field: FormField, context: string, memories: readonly ScopedMemory[], owner?: string): Found | undefined {
  const kind = kindOf(field)
  if (kind === 'email') return findPattern(EMAIL, memories)
  if (kind === 'phone') return findPattern(PHONE, memories)
  if (kind === 'url') return findPattern(URL_RE, memories)
  if (kind === 'place') {
    const place = findPattern(PLACE, memories)
    if (place !== undefined) return place
  }
  const ranked = candidates(field, context, memories, owner)
  if (kind === 'date') {
    for (const c of ranked) {
      const date = c.sentence.match(DATE)?.[0]
      if (date !== undefined) return { value: date, memoryId: c.memory.id }
    }
    return undefined
  }
  if (field.type === 'boolean') return undefined
  for (const c of ranked) {
    const found = valueFrom(field, c)
    if (found !== undefined) return found
  }
  return undefined
}

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
  // The whole turn, not only the matching sentence: the answer is often in the next sentence.
  return { value: clipTo(cueValue(field, c.sentence) ?? c.memory.text, field.maxLength ?? 300), ...at }
}
