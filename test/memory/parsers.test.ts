import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { parseJson } from '../../src/memory/parsers/index.js'
import { parseMarkdown, parseText } from '../../src/memory/parsers/text.js'
import { queryWindow, parseLooseDate } from '../../src/memory/time.js'
import { LOCOMO_SAMPLE } from './helpers.js'

describe('memory parsers', () => {
  it('reads LoCoMo sessions with dates, speakers, dialogue ids and photo captions, never the qa', () => {
    const parsed = parseJson('dev.json', JSON.stringify(LOCOMO_SAMPLE))
    expect(parsed.format).toBe('locomo')
    expect(parsed.items).toHaveLength(4)
    expect(parsed.items[0]).toMatchObject({ speaker: 'Ana', ref: 'D1:1', time: '2023-05-08T13:56:00.000Z', thread: 'conv-x/session_1' })
    expect(parsed.items[1]?.extra).toContain('dog on a beach')
    expect(parsed.items[2]).toMatchObject({ ref: 'D2:1', time: '2023-06-02T10:00:00.000Z' })
    expect(JSON.stringify(parsed.items)).not.toContain('not used by ingest')
  })

  it('reads a ChatGPT conversations.json export in message order', () => {
    const exportJson = [{
      title: 'Trip',
      create_time: 1700000000,
      mapping: {
        root: { message: null },
        b: { message: { author: { role: 'assistant' }, create_time: 1700000002, content: { content_type: 'text', parts: ['Lisbon in spring is lovely.'] } } },
        a: { message: { author: { role: 'user' }, create_time: 1700000001, content: { content_type: 'text', parts: ['Where should I travel in April?'] } } },
        s: { message: { author: { role: 'system' }, create_time: 1700000000, content: { parts: ['hidden system prompt'] } } }
      }
    }]
    const parsed = parseJson('conversations.json', JSON.stringify(exportJson))
    expect(parsed.format).toBe('chatgpt')
    expect(parsed.items.map(i => [i.speaker, i.text])).toEqual([['user', 'Where should I travel in April?'], ['assistant', 'Lisbon in spring is lovely.']])
    expect(parsed.items[0]?.time).toBe(new Date(1700000001000).toISOString())
  })

  it('reads the generic format with speaker|role and text|content', () => {
    const parsed = parseJson('chat.json', JSON.stringify({ messages: [{ speaker: 'Me', text: 'hello', time: '2024-01-02T03:04:05Z' }, { role: 'friend', content: 'hi back' }] }))
    expect(parsed.format).toBe('generic')
    expect(parsed.items.map(i => i.speaker)).toEqual(['Me', 'friend'])
    expect(parsed.items[0]?.time).toBe('2024-01-02T03:04:05.000Z')
  })

  it('splits text into paragraphs and Markdown into paragraphs under their heading', () => {
    expect(parseText('one line\nstill one\n\nsecond paragraph', undefined).map(i => i.text)).toEqual(['one line still one', 'second paragraph'])
    const md = parseMarkdown('# Food\n\nI like figs.\n\n## Work\n- I build boats', undefined)
    expect(md.map(i => [i.extra, i.text])).toEqual([['Food', 'I like figs.'], ['Work', 'I build boats']])
  })

  it('rejects malformed and unknown JSON with a code and the file name', () => {
    const cases: Array<[string, string]> = [
      ['{ not json', 'E_MALFORMED_FILE'],
      [JSON.stringify({ messages: [{ speaker: 'x' }] }), 'E_MALFORMED_FILE'],
      [JSON.stringify({ messages: [{ speaker: 'x', text: 'y', time: 'yesterday-ish' }] }), 'E_MALFORMED_FILE'],
      [JSON.stringify([{ sample_id: 's', conversation: { session_1: [{ speaker: 'a' }] } }]), 'E_MALFORMED_FILE'],
      [JSON.stringify({ hello: 'world' }), 'E_UNSUPPORTED_FORMAT']
    ]
    for (const [content, code] of cases) {
      let caught: unknown
      try { parseJson('/data/bad.json', content) } catch (err) { caught = err }
      expect(caught).toBeInstanceOf(InputError)
      expect((caught as InputError).code).toBe(code)
      expect((caught as InputError).message).toContain('/data/bad.json')
    }
  })

  it('turns session dates and query phrases into times and windows', () => {
    expect(parseLooseDate('7:55 pm on 9 June, 2023')).toBe('2023-06-09T19:55:00.000Z')
    const now = Date.UTC(2023, 9, 1)
    expect(queryWindow('What did she do in June 2023?', now)?.from).toBe(Date.UTC(2023, 5, 1))
    expect(queryWindow('where did we go last May', now)?.from).toBe(Date.UTC(2023, 4, 1))
    expect(queryWindow('plans for November', now)?.from).toBe(Date.UTC(2022, 10, 1))
    expect(queryWindow('you may like this', now)).toBeUndefined()
  })
})
