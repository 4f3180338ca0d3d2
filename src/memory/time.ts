// Time in memories and queries: session dates like "1:56 pm on 8 May, 2023" and query phrases
// like "in June 2023", "last May", "on 7 July, 2023", "last year", which become a date window.

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MONTH = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)`

function monthIndex (name: string): number {
  return MONTHS.findIndex(m => m.startsWith(name.toLowerCase().slice(0, 3)))
}

/** Parse ISO dates and LoCoMo-style "h:mm pm on D Month, YYYY"; undefined when not a date. */
export function parseLooseDate (text: string): string | undefined {
  const loco = new RegExp(`(?:(\\d{1,2}):(\\d{2})\\s*(am|pm)\\s+on\\s+)?(\\d{1,2})\\s+${MONTH}\\w*,?\\s+(\\d{4})`, 'i').exec(text)
  if (loco !== null) {
    let hour = Number(loco[1] ?? 0) % 12
    if ((loco[3] ?? '').toLowerCase() === 'pm') hour += 12
    const date = new Date(Date.UTC(Number(loco[6]), monthIndex(loco[5] ?? ''), Number(loco[4]), hour, Number(loco[2] ?? 0)))
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
  }
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

export interface TimeWindow {
  from: number
  to: number
}

const DAY = 86_400_000

/**
 * The date window a query talks about, if any. `now` anchors relative phrases ("last May"); for a
 * memory of old conversations pass the time of the latest memory rather than the wall clock.
 */
export function queryWindow (query: string, now: number, clock = Date.now()): TimeWindow | undefined {
  const q = query.toLowerCase()
  const ahead = plannedDay(q, clock)
  if (ahead !== undefined) return ahead
  const day = new RegExp(`\\b(\\d{1,2})\\s+${MONTH}\\w*,?\\s+(\\d{4})|\\b${MONTH}\\w*\\s+(\\d{1,2}),?\\s+(\\d{4})`).exec(q)
  if (day !== null) {
    const [d, m, y] = day[1] !== undefined ? [day[1], day[2], day[3]] : [day[5], day[4], day[6]]
    const at = Date.UTC(Number(y), monthIndex(m ?? ''), Number(d))
    return { from: at - 7 * DAY, to: at + 2 * DAY }
  }
  const month = new RegExp(`\\b(last\\s+|in\\s+|during\\s+|of\\s+)?${MONTH}\\b(?:\\s+(\\d{4}))?`).exec(q)
  if (month !== null && !(month[2] === 'may' && month[1] === undefined && month[3] === undefined)) {
    const m = monthIndex(month[2] ?? '')
    const nowDate = new Date(now)
    let y = month[3] !== undefined ? Number(month[3]) : nowDate.getUTCFullYear()
    const last = month[1]?.startsWith('last') === true
    // Without a year a month means its latest occurrence ("last May" in May means a year ago).
    if (month[3] === undefined && (m > nowDate.getUTCMonth() || (m === nowDate.getUTCMonth() && last))) y -= 1
    return { from: Date.UTC(y, m, 1), to: Date.UTC(y, m + 1, 1) + 14 * DAY }
  }
  const year = /\b(?:in|during|of)\s+(\d{4})\b/.exec(q)
  if (year !== null) return { from: Date.UTC(Number(year[1]), 0, 1), to: Date.UTC(Number(year[1]) + 1, 0, 15) }
  if (/\blast year\b/.test(q)) {
    const y = new Date(now).getUTCFullYear() - 1
    return { from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 15) }
  }
  return undefined
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

/**
 * Plans ("what am I doing next Tuesday", "tomorrow", "today") are about the calendar as it is now,
 * so they are anchored on the wall clock, not on the latest memory.
 */
function plannedDay (q: string, clock: number): TimeWindow | undefined {
  const today = Math.floor(clock / DAY) * DAY
  if (/\btomorrow\b/.test(q)) return { from: today + DAY, to: today + 2 * DAY }
  if (/\btoday\b|\btonight\b/.test(q)) return { from: today, to: today + DAY }
  const m = new RegExp(`\\b(next|this|coming)\\s+(${WEEKDAYS.join('|')})\\b`).exec(q)
  if (m === null) return undefined
  const target = WEEKDAYS.indexOf(m[2] ?? '')
  let days = (target - new Date(today).getUTCDay() + 7) % 7
  if (m[1] === 'next' && days === 0) days = 7
  return { from: today + days * DAY, to: today + (days + 1) * DAY }
}
