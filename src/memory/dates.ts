// Relative dates resolved against the time a memory was said: "yesterday" in a session of 8 May 2023
// is 7 May 2023, "last week" is the week before 8 May 2023, "this summer" is summer 2023. chrono-node
// finds the phrases and does the calendar arithmetic; this module keeps only the relative ones (an
// absolute "March" needs no resolving and "at 5" is rarely a date) and labels each one with the
// precision the speaker gave: a vague "last week" stays a week, never a made-up day.
import * as chrono from 'chrono-node'

export type DateGranularity = 'day' | 'days' | 'week' | 'weekend' | 'month' | 'season' | 'year'

/** One relative time phrase found in a text and what it means given the anchor. */
export interface DateMention {
  /** The phrase as written ("last week"). */
  phrase: string
  /** Where it starts in the text. */
  index: number
  /** The day it points at (ISO YYYY-MM-DD); for a week, month or season: a day inside it. */
  date: string
  granularity: DateGranularity
  /** Readable resolution: "7 May 2023", "the week before 9 June 2023", "June 2023", "2022", "summer 2023". */
  label: string
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** "7 May 2023" for an ISO date or time (UTC). */
export function formatDay (iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`
}

/** "May 2023". */
export function formatMonth (iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  return `${MONTH_NAMES[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10)

function anchorDate (anchor: string | Date | number): Date | undefined {
  const d = anchor instanceof Date ? anchor : new Date(anchor)
  return Number.isNaN(d.getTime()) ? undefined : d
}

// A phrase counts as relative only with one of these cue words (or as a bare weekday name).
const RELATIVE = /\b(yesterday|today|tonight|tomorrow|last|next|this|past|ago|coming|weekend|from now|in \w+ (days?|weeks?|months?|years?))\b/i
const WEEKDAY_RE = /\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i
const FEW = /\b(few|couple|several)\b/i

interface Kind { granularity: DateGranularity, label: (date: Date, anchor: Date) => string }

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()

/** What a chrono phrase means, from its wording; undefined for phrases we do not resolve. */
function kindOf (phrase: string): Kind | undefined {
  const p = phrase.toLowerCase()
  const before = (what: string) => (_d: Date, a: Date): string => `${what} before ${formatDay(a)}`
  const after = (what: string) => (_d: Date, a: Date): string => `${what} after ${formatDay(a)}`
  const count = /\b(\w+)\s+(days?|weeks?|months?|years?)\s+ago\b/.exec(p)
  if (/\bweekend\b/.test(p)) {
    if (/\b(last|past)\b/.test(p) || !/\b(next|this|coming)\b/.test(p)) return { granularity: 'weekend', label: before('the weekend') }
    return { granularity: 'weekend', label: (d) => `the weekend of ${formatDay(d)}` }
  }
  if (/\bweeks?\b/.test(p)) {
    if (count !== null && count[1] !== 'a' && count[1] !== 'one') return { granularity: 'week', label: before(`${count[1] ?? ''} weeks`) }
    if (/\b(next|coming)\b/.test(p)) return { granularity: 'week', label: after('the week') }
    if (/\bin \w+ weeks\b/.test(p)) return { granularity: 'week', label: after(p.replace(/^in /, '')) }
    if (/\bthis\b/.test(p)) return { granularity: 'week', label: (_d, a) => `the week of ${formatDay(a)}` }
    return { granularity: 'week', label: before('the week') }
  }
  if (/\bmonths?\b/.test(p)) return { granularity: 'month', label: (d) => formatMonth(d) }
  if (/\byears?\b/.test(p)) return { granularity: 'year', label: (d) => String(d.getUTCFullYear()) }
  if (FEW.test(p) && /\bdays?\b/.test(p)) return { granularity: 'days', label: before('a few days') }
  const weekday = WEEKDAY_RE.exec(p)
  if (weekday !== null && /\b(last|past)\b/.test(p)) return { granularity: 'day', label: before(`the ${capital(weekday[1] ?? '')}`) }
  if (weekday !== null || /\b(yesterday|today|tonight|tomorrow|night|morning|evening|afternoon|days?)\b/.test(p)) {
    return { granularity: 'day', label: (d) => formatDay(d) }
  }
  return undefined
}

const SEASONS = ['winter', 'spring', 'summer', 'fall'] as const
const SEASON_RE = /\b(this past|this|last|next|past)\s+(summer|winter|spring|fall|autumn)\b/gi

/** Season index (0 winter Dec-Feb, 1 spring, 2 summer, 3 fall) and its year (a winter's is its January's). */
function seasonAt (d: Date): { season: number, year: number } {
  const month = d.getUTCMonth()
  return { season: Math.floor(((month + 1) % 12) / 3), year: d.getUTCFullYear() + (month === 11 ? 1 : 0) }
}

function seasons (text: string, anchor: Date): DateMention[] {
  const out: DateMention[] = []
  const now = seasonAt(anchor)
  for (const m of text.matchAll(SEASON_RE)) {
    const which = (m[1] ?? '').toLowerCase()
    const raw = (m[2] ?? '').toLowerCase()
    const name = raw === 'autumn' ? 'fall' : raw
    const s = SEASONS.indexOf(name as typeof SEASONS[number])
    let year = now.year
    if (/last|past/.test(which) && s >= now.season) year -= 1
    if (which === 'next' && s <= now.season) year += 1
    const month = s === 0 ? 1 : s * 3 + 1
    out.push({ phrase: m[0], index: m.index, date: `${year}-${String(month).padStart(2, '0')}-01`, granularity: 'season', label: `${name} ${year}` })
  }
  return out
}

/**
 * Every relative time phrase in `text` resolved against `anchor` (when the text was said: an ISO
 * string, Date or epoch ms). Absolute dates ("8 May 2023") are left to the reader: they need no anchor.
 */
export function findDates (text: string, anchor: string | Date | number): DateMention[] {
  const at = anchorDate(anchor)
  if (at === undefined) return []
  const out = seasons(text, at)
  // chrono is the slow part of ingest; only a text with a relative word or a weekday can give a phrase kept below.
  const worth = RELATIVE.test(text) || WEEKDAY_RE.test(text)
  for (const r of worth ? chrono.parse(text, { instant: at, timezone: 0 }, { forwardDate: false }) : []) {
    const phrase = r.text.replace(/[,.;:]+$/, '')
    if (!RELATIVE.test(phrase) && !WEEKDAY_RE.test(phrase)) continue
    if (out.some(o => r.index < o.index + o.phrase.length && o.index < r.index + phrase.length)) continue
    const kind = kindOf(phrase)
    if (kind === undefined) continue
    const date = r.start.date()
    out.push({ phrase, index: r.index, date: isoDay(date), granularity: kind.granularity, label: kind.label(date, at) })
  }
  return out.sort((a, b) => a.index - b.index)
}

const PREPOSITION = /\b(in|on|at|since|from|until|till|by|during|of|for|before|after|around|about)\s*$/i

/** The word that should introduce a label in running text ("on 7 May 2023", "in June 2023"). */
function preposition (m: DateMention): string {
  if (/\b(before|after)\b/.test(m.label) && !/^the /.test(m.label)) return ''
  return m.granularity === 'day' || m.granularity === 'weekend' ? 'on ' : 'in '
}

/**
 * `text` with each relative time phrase replaced by its resolution against `anchor`:
 * "I went to a support group yesterday" said on 8 May 2023 → "I went to a support group on 7 May 2023".
 */
export function resolveRelative (text: string, anchor: string | Date | number, mentions: readonly DateMention[] = findDates(text, anchor)): string {
  let out = ''
  let at = 0
  for (const m of mentions) {
    let head = text.slice(at, m.index)
    // "the past weekend" → "the weekend before …", not "the the weekend before …".
    if (/^the /.test(m.label)) head = head.replace(/\bthe\s+$/i, '')
    // "on Friday" / "over the weekend": the phrase carries its own preposition; use ours instead.
    const own = /^(on|in|over|during)\s+/i.test(m.phrase)
    const lead = own || PREPOSITION.test(head) ? (own ? preposition(m) || 'in ' : '') : preposition(m)
    const label = lead + m.label
    // Keep a sentence's capital: "Last year I painted" → "In 2022 I painted".
    out += head + (/^[A-Z]/.test(m.phrase) ? label.charAt(0).toUpperCase() + label.slice(1) : label)
    at = m.index + m.phrase.length
  }
  return out + text.slice(at)
}
