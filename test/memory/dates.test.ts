import { describe, expect, it } from 'vitest'
import { findDates, formatDay, resolveRelative } from '../../src/memory/dates.js'

// Session times as LoCoMo gives them (parsed to UTC ISO by memory/time.ts).
const MAY_8 = '2023-05-08T13:56:00.000Z' // a Monday

const one = (text: string, anchor: string): { date: string, granularity: string, label: string } => {
  const found = findDates(text, anchor)
  expect(found).toHaveLength(1)
  const [m] = found
  if (m === undefined) throw new Error('no mention')
  return { date: m.date, granularity: m.granularity, label: m.label }
}

describe('relative dates', () => {
  it('resolves day words against the time the memory was said', () => {
    expect(one('I went to a support group yesterday', MAY_8)).toEqual({ date: '2023-05-07', granularity: 'day', label: '7 May 2023' })
    expect(one('we start tomorrow', MAY_8).label).toBe('9 May 2023')
    expect(one('we made dinner last night', MAY_8).date).toBe('2023-05-07')
    expect(one('two days ago I signed up', '2022-09-04T21:23:00.000Z').label).toBe('2 September 2022')
  })

  it('keeps the precision the speaker gave for weeks, weekends and vague spans', () => {
    expect(one('I joined a gym last week', '2023-06-16T19:20:00.000Z')).toMatchObject({ granularity: 'week', label: 'the week before 16 June 2023' })
    expect(one('a hike last weekend', '2023-10-17T13:50:00.000Z')).toMatchObject({ granularity: 'weekend', date: '2023-10-15', label: 'the weekend before 17 October 2023' })
    expect(one('I got a puppy two weeks ago', '2023-08-11T00:10:00.000Z')).toMatchObject({ date: '2023-07-28', label: 'two weeks before 11 August 2023' })
    expect(one('a check-up a few days ago', '2023-05-24T19:11:00.000Z').label).toBe('a few days before 24 May 2023')
    expect(one('next week we move', MAY_8).label).toBe('the week after 8 May 2023')
  })

  it('resolves weekday names: last <day> before the anchor, next <day> to its date', () => {
    // 15 July 2023 is a Saturday: last Friday is the 14th.
    expect(one('the pottery workshop last Friday', '2023-07-15T10:00:00.000Z')).toEqual({ date: '2023-07-14', granularity: 'day', label: 'the Friday before 15 July 2023' })
    expect(one('a concert last Saturday', '2023-07-20T16:21:00.000Z').date).toBe('2023-07-15')
    // 4 September 2022 is a Sunday: next Sunday is the 11th.
    expect(one('a baseball game next Sunday', '2022-09-04T21:23:00.000Z').label).toBe('11 September 2022')
    expect(one('I might go next Tuesday', MAY_8).date).toBe('2023-05-16')
  })

  it('resolves months, years and seasons', () => {
    expect(one('next month I play in Seattle', '2023-07-16T16:21:00.000Z')).toMatchObject({ granularity: 'month', label: 'August 2023' })
    expect(one('I quit three months ago', '2023-10-08T15:09:00.000Z').label).toBe('July 2023')
    expect(one('Last year I painted a sunrise', MAY_8)).toMatchObject({ granularity: 'year', label: '2022' })
    expect(one('I started surfing five years ago', '2023-07-16T16:21:00.000Z').label).toBe('2018')
    expect(one('camping this summer', MAY_8)).toMatchObject({ granularity: 'season', label: 'summer 2023' })
    // In August, "last summer" is the summer before the current one; in December it is this year's.
    expect(one('camping last summer', '2023-08-11T00:10:00.000Z').label).toBe('summer 2022')
    expect(one('camping last summer', '2023-12-26T15:35:00.000Z').label).toBe('summer 2023')
    expect(one('skiing next winter', MAY_8).label).toBe('winter 2024')
  })

  it('ignores absolute dates and numbers that are not relative times', () => {
    expect(findDates('I met him at 5 and we have 2 kids in March', MAY_8)).toEqual([])
    expect(findDates('You may go', MAY_8)).toEqual([])
    expect(findDates('yesterday', 'not a date')).toEqual([])
  })

  it('rewrites text with each phrase resolved, keeping a readable sentence', () => {
    expect(resolveRelative('I went to a LGBTQ support group yesterday and it was powerful.', MAY_8))
      .toBe('I went to a LGBTQ support group on 7 May 2023 and it was powerful.')
    expect(resolveRelative('Last year I painted a sunrise', MAY_8)).toBe('In 2022 I painted a sunrise')
    expect(resolveRelative('a pic from last Friday', '2023-05-20T19:38:00.000Z')).toBe('a pic from the Friday before 20 May 2023')
    expect(resolveRelative('I joined a gym last week!', '2023-06-16T19:20:00.000Z')).toBe('I joined a gym in the week before 16 June 2023!')
    expect(resolveRelative('I got a puppy two weeks ago', '2023-08-11T00:10:00.000Z')).toBe('I got a puppy two weeks before 11 August 2023')
    expect(resolveRelative('nothing relative here', MAY_8)).toBe('nothing relative here')
    expect(formatDay('2023-05-07')).toBe('7 May 2023')
  })
})
