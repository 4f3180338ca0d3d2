import ICAL from 'ical.js'
import type { ParsedItem } from '../types.js'
import { isoTime, malformed, readText, type ParseContext } from './context.js'

// iCalendar (.ics: Google Calendar "Export", Apple Calendar "File → Export", Outlook "Save calendar").
// ical.js expands recurrence rules with their exceptions (EXDATE, moved occurrences) and time zones.
// Each event or occurrence becomes one memory at its start time, so "what am I doing next Tuesday"
// is answered by the time-aware recall like any other dated memory.

/** A rule with no end (FREQ=DAILY forever) stops here even inside the window. */
const MAX_OCCURRENCES = 2000
const DAY_MS = 86_400_000
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

export async function parseCalendar (ctx: ParseContext): Promise<ParsedItem[]> {
  let root: ICAL.Component
  try {
    root = new ICAL.Component(ICAL.parse(await readText(ctx)) as unknown[])
  } catch (err) {
    throw malformed(ctx, 'not a valid iCalendar file', err)
  }
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz)
  const name = root.getFirstPropertyValue('x-wr-calname')
  const thread = `Calendar: ${typeof name === 'string' && name !== '' ? name : 'events'}`
  const events = root.getAllSubcomponents('vevent').map(c => new ICAL.Event(c))
  const masters = new Map<string, ICAL.Event>()
  for (const e of events) if (!e.isRecurrenceException()) masters.set(e.uid, e)
  for (const e of events) if (e.isRecurrenceException()) masters.get(e.uid)?.relateException(e)
  const window = { from: ctx.now - ctx.calendarDays.past * DAY_MS, to: ctx.now + ctx.calendarDays.future * DAY_MS }
  const items: ParsedItem[] = []
  for (const event of masters.values()) items.push(...occurrences(event, window).map(o => itemOf(event, o, thread, ctx)))
  return items.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
}

interface Occurrence { start: ICAL.Time, end: ICAL.Time, item: ICAL.Event }

function occurrences (event: ICAL.Event, window: { from: number, to: number }): Occurrence[] {
  if (!event.isRecurring()) return [{ start: event.startDate, end: event.endDate, item: event }]
  const out: Occurrence[] = []
  const it = event.iterator()
  for (let next = it.next(), n = 0; next !== undefined && n < MAX_OCCURRENCES; next = it.next(), n++) {
    const at = next.toJSDate().getTime()
    if (at > window.to) break
    if (at < window.from) continue
    const d = event.getOccurrenceDetails(next)
    out.push({ start: d.startDate, end: d.endDate, item: d.item })
  }
  return out
}

function itemOf (master: ICAL.Event, o: Occurrence, thread: string, ctx: ParseContext): ParsedItem {
  const e = o.item
  const who = e.attendees.map(a => a.getParameter('cn')).filter((n): n is string => typeof n === 'string' && !ctx.owner.is(n))
  const parts = [`${e.summary === '' ? '(untitled event)' : e.summary} — ${when(o.start, o.end)}`]
  if (e.location !== '' && e.location !== null) parts.push(`at ${e.location}`)
  if (who.length > 0) parts.push(`with ${who.join(', ')}`)
  const time = isoTime(o.start.toJSDate())
  const description = (e.description ?? '').replace(/\s+/g, ' ').trim().slice(0, 500)
  return {
    text: parts.join(', '), thread, speaker: ctx.owner.name,
    ref: master.uid, key: `ics:${master.uid}:${time ?? ''}`,
    ...(description === '' ? {} : { extra: description }),
    ...(time === undefined ? {} : { time })
  }
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
