import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { Memory } from '../../src/memory/index.js'
import { MAX_FILE_OCCURRENCES, MAX_OCCURRENCES } from '../../src/memory/parsers/calendar.js'
import { tempDir } from '../helpers/tmp.js'
import { freshNode } from './helpers.js'
import { SOURCES, parsePath } from './sources.js'

describe('calendar (.ics)', () => {
  it('expands recurring events within the window, with exceptions, moved occurrences, location and attendees', async () => {
    // now = 1 May 2024; the test window is 30 days back and 60 ahead.
    const { format, items } = await parsePath(join(SOURCES, 'calendar.ics'), 'Robin', ['Robin Smith'])
    expect(format).toBe('calendar')
    const physio = items.filter(i => i.text.startsWith('Physio'))
    expect(physio.map(i => i.text)).toEqual([
      'Physio session for my knee — Tuesday 7 May 2024, 10:00–11:00, at Riverside Clinic, 4 Mill Lane, with Dr. Silva',
      'Physio session for my knee — Tuesday 14 May 2024, 10:00–11:00, at Riverside Clinic, 4 Mill Lane, with Dr. Silva',
      'Physio session for my knee (moved) — Wednesday 29 May 2024, 16:00–17:00, at Riverside Clinic, 4 Mill Lane',
      'Physio session for my knee — Tuesday 4 June 2024, 10:00–11:00, at Riverside Clinic, 4 Mill Lane, with Dr. Silva',
      'Physio session for my knee — Tuesday 11 June 2024, 10:00–11:00, at Riverside Clinic, 4 Mill Lane, with Dr. Silva'
    ])
    expect(physio[0]).toMatchObject({ time: '2024-05-07T09:00:00.000Z', speaker: 'Robin', thread: 'Calendar: Robin personal', extra: 'Bring the exercise sheet. Wear shorts.' })
    expect(items.find(i => i.text.startsWith('Lisbon'))?.text).toBe('Lisbon trip — Friday 14 June 2024 to Monday 17 June 2024, at Lisbon')
    // An endless daily rule stops at the window's end (30 June 2024, exclusive).
    const runs = items.filter(i => i.text.startsWith('Morning run'))
    expect(runs).toHaveLength(29)
    expect(new Set(items.map(i => i.key)).size).toBe(items.length)
  })

  it('answers "what am I doing next Tuesday" from the event time', async () => {
    await using node = await freshNode()
    const day = 86_400_000
    const today = Math.floor(Date.now() / day) * day
    const nextTuesday = today + ((((2 - new Date(today).getUTCDay() + 7) % 7) || 7) * day)
    const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    const ics = join(node.dir, 'plans.ics')
    await writeFile(ics, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', `DTSTART:${stamp(nextTuesday - 21 * day + 18 * 3_600_000)}`, `DTEND:${stamp(nextTuesday - 21 * day + 20 * 3_600_000)}`, 'RRULE:FREQ=WEEKLY;COUNT=8', 'UID:pottery@test', `DTSTAMP:${stamp(today)}`, 'SUMMARY:Pottery class', 'END:VEVENT',
      'BEGIN:VEVENT', `DTSTART:${stamp(nextTuesday + 9 * 3_600_000)}`, `DTEND:${stamp(nextTuesday + 10 * 3_600_000)}`, 'UID:dentist@test', `DTSTAMP:${stamp(today)}`, 'SUMMARY:Dentist check-up', 'LOCATION:Elm Street surgery', 'END:VEVENT',
      'END:VCALENDAR'].join('\r\n'))
    const memory = await Memory.open(node.me.vault, { owner: 'Robin' })
    await memory.ingest([ics])
    const hits = await memory.recall('what am I doing next Tuesday', { k: 2 })
    expect(hits.map(h => h.time?.slice(0, 10))).toEqual([new Date(nextTuesday).toISOString().slice(0, 10), new Date(nextTuesday).toISOString().slice(0, 10)])
    expect(hits.map(h => h.text.split(' — ')[0]).sort()).toEqual(['Dentist check-up', 'Pottery class'])
    await memory.close()
  })
})

describe('calendar recurrence bounds', () => {
  const vevent = (uid: string, start: string, rule: string, extra: string[] = []): string[] =>
    ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', `DTSTART:${start}`, `RRULE:${rule}`, `SUMMARY:${uid}`, ...extra, 'END:VEVENT']
  const calendar = (events: string[][]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flat(), 'END:VCALENDAR'].join('\r\n')

  /** Every occurrence inside the test window (1 April to 30 June 2024), walking the rule from DTSTART. */
  function reference (ics: string): string[] {
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent') ?? undefined)
    const out: string[] = []
    const it = event.iterator()
    for (let next = it.next(); next !== undefined; next = it.next()) {
      const at = next.toJSDate().getTime()
      if (at > Date.UTC(2024, 5, 30)) break
      if (at >= Date.UTC(2024, 3, 1)) out.push(next.toJSDate().toISOString())
    }
    return out
  }

  it('expands a rule that began decades ago from near the window, to the same occurrences', async () => {
    await using tmp = await tempDir('secondme-ics-')
    const rules = ['FREQ=DAILY', 'FREQ=DAILY;INTERVAL=3', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'FREQ=HOURLY;INTERVAL=17', 'FREQ=DAILY;UNTIL=20240515T000000Z']
    for (const [i, rule] of rules.entries()) {
      const ics = calendar([vevent(`r${i}`, '19900104T091500Z', rule, ['EXDATE:20240410T091500Z'])])
      const path = join(tmp.path, `r${i}.ics`)
      await writeFile(path, ics)
      const { items } = await parsePath(path)
      expect(items.map(it => it.time), rule).toEqual(reference(ics))
    }
  })

  it('caps an every-minute rule per event and all recurring events per file', async () => {
    await using tmp = await tempDir('secondme-ics-')
    const one = join(tmp.path, 'one.ics')
    await writeFile(one, calendar([vevent('minute', '20200101T000000Z', 'FREQ=MINUTELY')]))
    expect((await parsePath(one)).items).toHaveLength(MAX_OCCURRENCES)
    const many = join(tmp.path, 'many.ics')
    const events = Array.from({ length: MAX_FILE_OCCURRENCES / MAX_OCCURRENCES + 5 }, (_, i) => vevent(`m${i}`, '20240401T000000Z', 'FREQ=MINUTELY'))
    await writeFile(many, calendar([...events, ['BEGIN:VEVENT', 'UID:single', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240502T100000Z', 'SUMMARY:Dentist', 'END:VEVENT']]))
    const { items } = await parsePath(many)
    expect(items).toHaveLength(MAX_FILE_OCCURRENCES + 1)
    expect(items.some(i => i.text.startsWith('Dentist'))).toBe(true)
  })
})
