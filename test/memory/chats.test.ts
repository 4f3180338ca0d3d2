import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SOURCES, parsePath } from './sources.js'

describe('chat exports: WhatsApp and Telegram', () => {
  it('reads an Android WhatsApp export: multi-line messages kept, system lines, media and deleted messages left out', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'WhatsApp Chat with Lisbon trip.txt'), 'Robin', ['Robin Smith'])
    expect(format).toBe('whatsapp')
    expect(items.map(i => [i.speaker, i.text])).toEqual([
      ['Sam Roe', 'Are we still on for Lisbon in June?'],
      ['Robin', 'Yes! I booked the flights this morning.\nWe land at 10:40 on the 14th.\nAnd I found a hotel near Alfama.'],
      ['Kim', 'Can I join for the fado night?'],
      ['Kim', 'ok'],
      ['Kim', 'ok']
    ])
    expect(items[0]).toMatchObject({ thread: 'WhatsApp: Lisbon trip', time: new Date(2024, 4, 12, 9, 16).toISOString() })
    expect(new Set(items.map(i => i.key)).size).toBe(items.length)
  })

  it('reads an iOS WhatsApp export (_chat.txt in its folder, bracketed dates, CRLF)', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'WhatsApp Chat - Sam Roe', '_chat.txt'), 'Robin Smith')
    expect(format).toBe('whatsapp')
    expect(items.map(i => [i.speaker, i.text])).toEqual([
      ['Sam Roe', 'Did you get the keys for the allotment?'],
      ['Robin Smith', 'I did, they are under the blue pot.\nSecond key is with my sister.']
    ])
    expect(items[0]?.thread).toBe('WhatsApp: Sam Roe')
    expect(items[0]?.time).toBe(new Date(2024, 2, 5, 21, 4, 11).toISOString())
  })

  it('reads a Telegram Desktop result.json: owner by user id, text entities joined, service and media-only messages left out', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'result.json'), 'Robin')
    expect(format).toBe('telegram')
    expect(items.map(i => [i.thread, i.speaker, i.text])).toEqual([
      ['Telegram: Kim Lee', 'Kim Lee', 'Did you see the climbing gym opened on Elm Street?'],
      ['Telegram: Kim Lee', 'Robin', 'Yes, I signed up for the Thursday beginners class: https://example.org/climb'],
      ['Telegram: Book club', 'Ana', 'Next book: The Left Hand of Darkness.'],
      ['Telegram: Book club', 'Robin', 'I will host the meeting on the 20th.']
    ])
    expect(items[0]).toMatchObject({ time: '2024-04-02T20:00:00.000Z', key: 'telegram:7654321:102' })
  })
})
