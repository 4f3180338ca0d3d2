import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SOURCES, parsePath } from './sources.js'

describe('e-mail: .eml and mbox', () => {
  it('keeps what the sender wrote: quoted reply and signature stripped, attachment named, reply threaded by subject', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'reply-quoted.eml'), 'Robin', ['robin@example.com'])
    expect(format).toBe('email')
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      text: 'Thanks Robin, I picked up the keys this morning. I will water the tomatoes on Friday.\n\nSam',
      speaker: 'Sam Roe', thread: 'Mail: Allotment keys', time: '2024-05-14T06:30:00.000Z',
      extra: 'Subject: Re: Allotment keys [attached: watering-rota.pdf]', key: 'email:<CAK-sam-0002@mail.example.org>:0'
    })
    const all = JSON.stringify(items)
    for (const gone of ['blue pot', 'plot 12', '7700', 'JVBER']) expect(all).not.toContain(gone)
  })

  it('turns HTML-only mail into text and knows the owner by address', async () => {
    const { items } = await parsePath(join(SOURCES, 'html-only.eml'), 'Robin', ['robin@example.com'])
    expect(items.map(i => [i.speaker, i.text])).toEqual([['Robin', 'Hello,\n\nI would like to book a check-up next month, ideally on a Tuesday morning.']])
    expect(JSON.stringify(items)).not.toMatch(/<p>|color: red/)
  })

  it('splits an mbox into messages, unescapes >From lines and drops quoted Outlook originals', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'archive.mbox'), 'Robin Smith')
    expect(format).toBe('mbox')
    expect(items.map(i => [i.speaker, i.thread, i.text])).toEqual([
      ['Robin Smith', 'Mail: Climbing on Thursday', 'Kim, shall we go climbing on Thursday after work? I can drive.\nFrom my side 6 pm works best.'],
      ['Kim Lee', 'Mail: Climbing on Thursday', 'Six works. I\'ll bring the rope.']
    ])
  })
})
