import ICAL from 'ical.js'
import type { ParsedItem } from '../types.js'
import { isoTime, malformed, readText, type ParseContext } from './context.js'

// iCalendar (.ics: Google Calendar "Export", Apple Calendar "File → Export", Outlook "Save calendar").
// ical.js expands recurrence rules with their exceptions (EXDATE, moved occurrences) and time zones.
// Each event or occurrence becomes one memory at its start time, so "what am I doing next Tuesday"
// is answered by the time-aware recall like any other dated memory.

/** Occurrences of one recurring event kept inside the window (an every-minute rule stops here). */
export const MAX_OCCURRENCES = 2000
/** Occurrences of all recurring events of one file: past it, recurring events add nothing more. */
export const MAX_FILE_OCCURRENCES = 50_000
/** Iterator steps per event (~25 µs each), before or inside the window, wherever a rule ends up. */
const MAX_STEPS = 20_000
/** Length of one FREQ unit for the rules that can be fast-forwarded by whole periods. */
const UNIT_SECONDS: Record<string, number> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 }
const DAY_MS = 86_400_000
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

export async function parseCalendar (ctx: ParseContext): Promise<ParsedItem[]> {
  const text = await readText(ctx)
  // ical.js checks little while it parses: a component left open, a value of the wrong type or a
  // broken rule surfaces later as a TypeError deep inside it. Any of those is a malformed file.
  try {
    return calendarItems(text, ctx)
  } catch (err) {
    throw malformed(ctx, 'not a valid iCalendar file', err)
  }
}

function calendarItems (text: string, ctx: ParseContext): ParsedItem[] {
  const parsed = ICAL.parse(text) as unknown[]
  // Two top-level components (an END line lost) parse as a list of them: not one calendar.
  if (parsed[0] !== 'vcalendar') throw new Error('the file is not one VCALENDAR')
  const root = new ICAL.Component(parsed)
  // ical.js also finds a zone by its TZID among the file's own components: drop the implausible ones.
  for (const tz of root.getAllSubcomponents('vtimezone')) if (!plausibleZone(tz)) root.removeSubcomponent(tz)
  return withZones(root.getAllSubcomponents('vtimezone'), () => eventItems(root, ctx))
}

/**
 * Run `fn` with the file's time zones registered, then put the registry back as it was: ical.js keeps
 * one process-wide registry, and one file's zones (say a bogus "Europe/London") must not change how
 * the next file is read.
 */
function withZones<T> (zones: ICAL.Component[], fn: () => T): T {
  const registry = ICAL.TimezoneService
  const mine = zones.map(c => new ICAL.Timezone(c))
  const before = mine.map(z => [z.tzid, registry.has(z.tzid) ? registry.get(z.tzid) : undefined] as const)
  try {
    for (const zone of mine) registry.register(zone)
    return fn()
  } finally {
    for (const [tzid, previous] of before.reverse()) {
      if (previous === undefined) registry.remove(tzid)
      else registry.register(previous)
    }
  }
}

/**
 * Real zones change offset once or twice a year. ical.js expands a zone's rules from their start to
 * the date asked, so a rule like FREQ=SECONDLY from 1970 would run for hours: such a zone is not used
 * (times that name it are read as floating local times).
 */
function plausibleZone (tz: ICAL.Component): boolean {
  return tz.getAllSubcomponents().every(part => part.getAllProperties('rrule').every(p => {
    const rule = p.getFirstValue()
    return rule instanceof ICAL.Recur && (rule.freq === 'YEARLY' || rule.freq === 'MONTHLY')
  }))
}

function eventItems (root: ICAL.Component, ctx: ParseContext): ParsedItem[] {
  const name = root.getFirstPropertyValue('x-wr-calname')
  const thread = `Calendar: ${typeof name === 'string' && name !== '' ? name : 'events'}`
  const events = root.getAllSubcomponents('vevent').map(c => new ICAL.Event(c))
  const masters = new Map<string, ICAL.Event>()
  // An event without a UID (required, but not always there) stands alone: it has no exceptions.
  events.forEach((e, i) => { if (!e.isRecurrenceException()) masters.set(uidOf(e) ?? `#${i}`, e) })
  for (const e of events) {
    const uid = uidOf(e)
    if (e.isRecurrenceException() && uid !== undefined) masters.get(uid)?.relateException(e)
  }
  const window = { from: ctx.now - ctx.calendarDays.past * DAY_MS, to: ctx.now + ctx.calendarDays.future * DAY_MS }
  const items: ParsedItem[] = []
  const budget = { left: MAX_FILE_OCCURRENCES }
  for (const event of masters.values()) items.push(...occurrences(event, { ...window, budget }).map(o => itemOf(event, o, thread, ctx)))
  return items.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
}

interface Occurrence { start: ICAL.Time, end: ICAL.Time, item: ICAL.Event }
interface Window { from: number, to: number, budget: { left: number } }

/**
 * A single event, or the occurrences of a recurring one inside the window: at most MAX_OCCURRENCES
 * per event and MAX_FILE_OCCURRENCES per file, in at most MAX_STEPS iterator steps. A rule that began
 * long ago (a daily event since 1990) starts close to the window instead of walking every past day.
 */
function occurrences (event: ICAL.Event, window: Window): Occurrence[] {
  if (!event.isRecurring()) return [{ start: event.startDate, end: event.endDate, item: event }]
  const out: Occurrence[] = []
  const it = event.iterator(startNear(event, window.from))
  const cap = Math.min(MAX_OCCURRENCES, window.budget.left)
  for (let next = it.next(), n = 0; next !== undefined && n < MAX_STEPS && out.length < cap; next = it.next(), n++) {
    const at = next.toJSDate().getTime()
    if (at > window.to) break
    if (at < window.from) continue
    const d = event.getOccurrenceDetails(next)
    out.push({ start: d.startDate, end: d.endDate, item: d.item })
  }
  window.budget.left -= out.length
  return out
}

/**
 * For one open-ended rule (no COUNT) of fixed period (SECONDLY … WEEKLY): the start moved forward by
 * whole periods to just before the window, which keeps every later occurrence where it was. Others
 * (COUNT, MONTHLY, YEARLY, several rules) start at DTSTART.
 */
function startNear (event: ICAL.Event, from: number): ICAL.Time | undefined {
  const rules = event.component.getAllProperties('rrule').map(p => p.getFirstValue())
  const rule = rules[0]
  if (rules.length !== 1 || !(rule instanceof ICAL.Recur) || (rule.count ?? 0) > 0) return undefined
  const unit = UNIT_SECONDS[rule.freq]
  if (unit === undefined) return undefined
  const period = unit * Math.max(1, rule.interval)
  const behind = (from - event.startDate.toJSDate().getTime()) / 1000 - period
  if (!(behind > period)) return undefined
  const start = event.startDate.clone()
  const shift = Math.floor(behind / period) * period
  // adjust() carries over into months and years (addDuration leaves "day 9000" for the iterator to misread).
  start.adjust(Math.floor(shift / 86_400), 0, 0, shift % 86_400)
  return start
}

function itemOf (master: ICAL.Event, o: Occurrence, thread: string, ctx: ParseContext): ParsedItem {
  const e = o.item
  const who = e.attendees.map(a => a.getParameter('cn')).filter((n): n is string => typeof n === 'string' && !ctx.owner.is(n))
  const parts = [`${e.summary === '' ? '(untitled event)' : e.summary} — ${when(o.start, o.end)}`]
  if (e.location !== '' && e.location !== null) parts.push(`at ${e.location}`)
  if (who.length > 0) parts.push(`with ${who.join(', ')}`)
  const time = isoTime(o.start.toJSDate())
  const uid = uidOf(master)
  const description = (e.description ?? '').replace(/\s+/g, ' ').trim().slice(0, 500)
  return {
    text: parts.join(', '), thread, speaker: ctx.owner.name,
    ...(uid === undefined ? {} : { ref: uid, key: `ics:${uid}:${time ?? ''}` }),
    ...(description === '' ? {} : { extra: description }),
    ...(time === undefined ? {} : { time })
  }
}

function uidOf (e: ICAL.Event): string | undefined {
  const uid: unknown = e.uid
  return typeof uid === 'string' && uid !== '' ? uid : undefined
}

/** "Tuesday 7 May 2024, 10:00–11:00" or, for all-day events, "Friday 14 June 2024 to Monday 17 June 2024". */
function when (start: ICAL.Time, end: ICAL.Time): string {
  if (start.isDate) {
    const last = end.clone()
    last.adjust(-1, 0, 0, 0)
    return last.compare(start) > 0 ? `${day(start)} to ${day(last)}` : day(start)
  }
  return `${day(start)}, ${clock(start)}–${clock(end)}`
}

function day (t: ICAL.Time): string {
  return `${WEEKDAYS[t.dayOfWeek() - 1] ?? ''} ${t.day} ${MONTHS[t.month - 1] ?? ''} ${t.year}`
}

function clock (t: ICAL.Time): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`
}
