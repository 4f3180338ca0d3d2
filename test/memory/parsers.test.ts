import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { parseMarkdown, parseText } from '../../src/memory/parsers/text.js'
import { queryWindow, parseLooseDate } from '../../src/memory/time.js'
import { tempDir } from '../helpers/tmp.js'
import { LOCOMO_SAMPLE } from './helpers.js'
import { SOURCES, parsePath } from './sources.js'

async function parseJsonText (content: string, name = 'bad.json'): Promise<Awaited<ReturnType<typeof parsePath>>> {
  await using tmp = await tempDir('secondme-parse-')
  const path = join(tmp.path, name)
  await writeFile(path, content)
  return await parsePath(path)
}

describe('memory parsers', () => {
  it('reads LoCoMo sessions with dates, speakers, dialogue ids and photo captions, never the qa', async () => {
    const parsed = await parseJsonText(JSON.stringify(LOCOMO_SAMPLE), 'dev.json')
    expect(parsed.format).toBe('locomo')
    expect(parsed.items).toHaveLength(4)
    expect(parsed.items[0]).toMatchObject({ speaker: 'Ana', ref: 'D1:1', time: '2023-05-08T13:56:00.000Z', thread: 'conv-x/session_1' })
    expect(parsed.items[1]?.extra).toContain('dog on a beach')
    expect(parsed.items[2]).toMatchObject({ ref: 'D2:1', time: '2023-06-02T10:00:00.000Z' })
    expect(JSON.stringify(parsed.items)).not.toContain('not used by ingest')
  })

  it('reads only the live branch of a ChatGPT export: edited turns, hidden, system and tool nodes left out', async () => {
    await using tmp = await tempDir('secondme-parse-')
    // Named like anything: the content says what it is.
    const path = join(tmp.path, 'export.data')
    await copyFile(join(SOURCES, 'conversations.json'), path)
    const { format, items } = await parsePath(path, 'Robin')
    expect(format).toBe('chatgpt')
    expect(items.map(i => [i.speaker, i.text])).toEqual([
      ['Robin', 'I twisted my knee playing football yesterday.'],
      ['ChatGPT', 'Sorry to hear that. Ice it and keep it raised.'],
      ['Robin', '[image]\nHow long should I rest my knee? The swelling is in this photo.'],
      ['ChatGPT', 'With that swelling, rest your knee for three weeks before running again.'],
      ['Robin', 'Give me a quick carbonara recipe.'],
      ['ChatGPT', 'Eggs, pecorino, guanciale and black pepper; no cream.']
    ])
    const all = JSON.stringify(items)
    for (const gone of ['two weeks', 'light sprain', 'secret custom instructions', 'search(', 'search results']) expect(all).not.toContain(gone)
    expect(items[0]).toMatchObject({ thread: 'Knee recovery [6630f1a0]', time: new Date(1714550401000).toISOString(), key: 'chatgpt:6630f1a0-1111-2222-3333-444455556666:u-1' })
    expect(items[4]?.thread).toBe('Pasta recipe [7740f1a0]')
  })

  it('reads the generic format with speaker|role and text|content', async () => {
    const parsed = await parseJsonText(JSON.stringify({ messages: [{ speaker: 'Me', text: 'hello', time: '2024-01-02T03:04:05Z' }, { role: 'friend', content: 'hi back' }] }), 'chat.json')
    expect(parsed.format).toBe('generic')
    expect(parsed.items.map(i => i.speaker)).toEqual(['Me', 'friend'])
    expect(parsed.items[0]?.time).toBe('2024-01-02T03:04:05.000Z')
  })

  it('splits text into paragraphs and Markdown into paragraphs under their heading', () => {
    expect(parseText('one line\nstill one\n\nsecond paragraph', undefined).map(i => i.text)).toEqual(['one line still one', 'second paragraph'])
    const md = parseMarkdown('# Food\n\nI like figs.\n\n## Work\n- I build boats', undefined)
    expect(md.map(i => [i.extra, i.text])).toEqual([['Food', 'I like figs.'], ['Work', 'I build boats']])
  })

  it('rejects malformed and unknown JSON with a code and the file name', async () => {
    const cases: Array<[string, string]> = [
      ['{ "messages": not json', 'E_MALFORMED_FILE'],
      [JSON.stringify({ messages: [{ speaker: 'x' }] }), 'E_MALFORMED_FILE'],
      [JSON.stringify({ messages: [{ speaker: 'x', text: 'y', time: 'yesterday-ish' }] }), 'E_MALFORMED_FILE'],
      [JSON.stringify([{ sample_id: 's', conversation: { session_1: [{ speaker: 'a' }] } }]), 'E_MALFORMED_FILE'],
      ['[{"title": "t", "mapping": {"a": {"message": {"author": 5}}}}]', 'E_MALFORMED_FILE'],
      ['[{"title": "t", "mapping": {"a": ', 'E_MALFORMED_FILE']
    ]
    for (const [content, code] of cases) {
      let caught: unknown
      try { await parseJsonText(content) } catch (err) { caught = err }
      expect(caught).toBeInstanceOf(InputError)
      expect((caught as InputError).code).toBe(code)
      expect((caught as InputError).message).toContain('bad.json')
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
