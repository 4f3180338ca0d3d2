import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { detectFormatOf, Owner, parseSource, type ParseContext } from '../../src/memory/parsers/index.js'
import type { ParsedItem, SourceFormat } from '../../src/memory/types.js'
import type { SecondMe } from '../../src/node.js'
import { writePdf } from '../fixtures/pdf-writer.js'
import { REPO_ROOT } from '../helpers/tmp.js'
import { anyBytes, bytesFlipped, jsonAround, linesAround, type Json } from './mutate.js'
import type { FuzzTarget } from './targets.js'

// Every file parser (the ingest source registry, src/memory/parsers), fuzzed on bytes in memory:
// arbitrary bytes, valid samples with bytes flipped, and structure-aware edits of the samples (lines,
// format tokens, JSON subtrees) so cases reach the deeper paths. An acceptance must be well-formed
// items (checkItems). One more target takes a few cases through the real ingest into a real vault.

const fixture = (name: string): string => readFileSync(join(REPO_ROOT, 'test/fixtures/sources', name), 'utf8')

/** A multipart mail with base64, quoted-printable, an encoded-word subject and an attachment. */
const MULTIPART = ['From: =?utf-8?B?S2ltIEzDqWU=?= <kim@example.net>', 'To: robin@example.com', 'Subject: =?utf-8?Q?Caf=C3=A9_on_Friday?=',
  'Date: Fri, 17 May 2024 08:00:00 +0100', 'Message-ID: <kim-0009@example.net>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
  '--b1', 'Content-Type: multipart/alternative; boundary="b2"', '', '--b2', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '',
  'Shall we meet at the caf=E9 at 10? I will bring the map.', '', 'On Thu, 16 May 2024, Robin wrote:', '> Friday works.', '', '--b2',
  'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', Buffer.from('<p>Shall we meet at the café at 10?</p>').toString('base64'), '--b2--',
  '--b1', 'Content-Type: application/pdf; name="map.pdf"', 'Content-Disposition: attachment; filename="map.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--b1--', ''].join('\n')

const TELEGRAM_CHAT = JSON.stringify({
  name: 'Kim Lee', type: 'personal_chat', id: 7654321, messages: [
    { id: 1, type: 'message', date: '2024-04-02T20:00:00', date_unixtime: '1712088000', from: 'Kim Lee', from_id: 'user7654321', text: 'Climbing on Thursday?' },
    { id: 2, type: 'message', date: '2024-04-02T20:01:00', from: 'Robin Smith', from_id: 'user1234567', text: ['Yes, at ', { type: 'link', text: 'https://elm.example' }, '!'] },
    { id: 3, type: 'service', date: '2024-04-02T20:02:00', action: 'pin_message' }
  ]
}, null, 1)

const SAMPLES = {
  text: 'Caroline said hi.\n\nWe sailed on Sunday. The wind was strong! Did we reef?\n\n\n' + 'Long. '.repeat(200),
  markdown: '# Trip\n\nWe sailed.\n\n## Later\n\n- Home again.\n> quoted\n\n```\ncode\n```',
  generic: JSON.stringify({ title: 't', messages: [{ speaker: 'Ana', text: 'hello', time: '2023-05-08T10:00:00Z' }, { role: 'user', content: 'hi' }] }),
  locomo: JSON.stringify([{ sample_id: 's', conversation: { speaker_a: 'A', speaker_b: 'B', session_1_date_time: '1:56 pm on 8 May, 2023', session_1: [{ speaker: 'A', dia_id: 'D1:1', text: 'hi' }, { speaker: 'B', dia_id: 'D1:2', text: 'hello', img_url: ['x'], blip_caption: 'a boat' }] } }]),
  pdf: writePdf([{ lines: [{ text: 'Lease agreement for the flat', y: 720 }, { text: 'The rent is due on the first.', y: 700 }, { text: 'Deposit: two months.', y: 640 }] }, { lines: [{ text: 'Signed in Lisbon', y: 700 }] }]).toString('latin1')
}

const DICTIONARIES: Record<string, string[]> = {
  whatsapp: ['12/31/23, 9:41 PM - ', '[31/12/2023, 21:41:05] ', '31.12.23, 21:41 - ', '2024-05-12, 09:15 - ', '99/99/9999, 99:99 - ', 'Sam Roe: ', ': ', '<Media omitted>',
    '<attached: 00000012-PHOTO.jpg>', ' <This message was edited>', '\u200e', 'This message was deleted', '12/05/2024, 09:15 - Kim: '],
  json: ['{', '}', '[', ']', ',', ':', '"', '\\u0000', '\\ud800', 'null', '"chats": {', '"list": [', '"personal_information": {"user_id": 1}', '"messages": [',
    '"text": [{"type": "bold"}]', '"date_unixtime": "-1"', '"from_id": "user1234567"', '"mapping": {}', '"current_node": "zz"', '"parts": [{"content_type": "image_asset_pointer"}]', '1e999', '-0'],
  email: ['Content-Type: multipart/mixed; boundary="b1"', '--b1', '--b1--', '--b2', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable',
    'Content-Type: text/html; charset=iso-8859-1', 'Content-Type: text/plain; charset=utf-16', 'Content-Type: message/rfc822', '=?utf-8?B?w6k=?=', '=?x?Q?=ZZ?=', 'From: ',
    'From: <>', 'Date: Thu, 99 Foo 2024 99:99:99 +9999', 'Message-ID: <>', 'Content-Disposition: attachment; filename="a.pdf"', '=', '=C3=A9', '=\n', 'On Thu, Kim wrote:',
    '> quoted', '-- ', '<html><body><p>hi</p>', '<script>x</script>', 'From robin@example.com Thu May 16 09:00:00 2024', '>From here', '\t folded', 'Subject: Re: Fwd: '],
  calendar: ['BEGIN:VEVENT', 'END:VEVENT', 'RRULE:FREQ=DAILY', 'RRULE:FREQ=SECONDLY', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'RRULE:FREQ=MONTHLY;BYDAY=5FR',
    'RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20240601T000000Z', 'RRULE:FREQ=MINUTELY;INTERVAL=0', 'EXDATE;TZID=Europe/London:20240521T100000', 'RECURRENCE-ID;TZID=Europe/London:20240514T100000',
    'DTSTART:20240507T100000Z', 'DTSTART;VALUE=DATE:20240614', 'DTEND;VALUE=DATE:20240617', 'DTSTART;TZID=Nowhere/Land:20240507T100000', 'DTSTART:99999999T999999',
    'UID:x', 'SUMMARY:', 'ATTENDEE;CN=Kim:mailto:kim@example.net', 'BEGIN:VTIMEZONE', 'END:VTIMEZONE', 'TZOFFSETFROM:+9999', ' folded', 'DURATION:PT1H', 'DURATION:-P1D',
    'BEGIN:VCALENDAR', 'END:VCALENDAR', 'LOCATION:', 'DESCRIPTION:a\\nb', 'X-WR-CALNAME:', 'BEGIN:VALARM', ';', ':'],
  pdf: ['BT', 'ET', '(Hello) Tj', '<< /Length 0 >>', 'endstream', 'stream', 'endobj', '3 0 obj', '/Type /Page', '/Kids [3 0 R 3 0 R]', '/Count 99999', '/Filter /FlateDecode',
    'xref', 'trailer', 'startxref', '%%EOF', '/Font << /F1 99 0 R >>', '[(a) -200 (b)] TJ', '72 700 Td', '/F1 1e30 Tf', '/Encoding /Identity-H', '/Parent 1 0 R', '1 0 R',
    '<feff00410042> Tj', 'q 1 0 0 1 0 0 cm', '/Contents [9 0 R]', '/Rotate 90', '/MediaBox [0 0 0 0]', '<<', '>>', '(', ')', '\\', '0000000000 65535 f '],
  markdown: ['---', 'tags: [a, b]', 'date: 2024-13-45', 'created: not a date', 'title: x', 'tags: {a: 1}', 'title: [1, 2]', '# ', '## Heading', '[[', ']]', '[[a|b]]',
    '![[img.png]]', '#tag', '#', '```', '- item', '> quote', ': : :', '!!binary x', '&a [*a, *a]', 'date: !!timestamp x', 'key: |', '\t- x', 'date: 1e400'],
  text: ['', '.', '. ', '! ', 'a'.repeat(300), 'Sentence one. Sentence two!', '\u2028', '\r', ' ', '\t']
}

type Format = SourceFormat | 'notes'

/** Valid files of each format: what the structure-aware cases are made from. */
function samplesOf (format: Format): { texts: string[], json?: boolean, dictionary: string[], encoding?: BufferEncoding } {
  const d = (name: string): string[] => DICTIONARIES[name] ?? []
  switch (format) {
    case 'whatsapp': return { texts: [fixture('WhatsApp Chat with Lisbon trip.txt'), fixture('WhatsApp Chat - Sam Roe/_chat.txt')], dictionary: d('whatsapp') }
    case 'telegram': return { texts: [fixture('result.json'), TELEGRAM_CHAT], json: true, dictionary: d('json') }
    case 'chatgpt': return { texts: [fixture('conversations.json')], json: true, dictionary: d('json') }
    case 'generic': return { texts: [SAMPLES.generic], json: true, dictionary: d('json') }
    case 'locomo': return { texts: [SAMPLES.locomo], json: true, dictionary: d('json') }
    case 'email': return { texts: [fixture('reply-quoted.eml'), fixture('html-only.eml'), MULTIPART], dictionary: d('email') }
    case 'mbox': return { texts: [fixture('archive.mbox'), `From kim@example.net Fri May 17 08:00:00 2024\n${MULTIPART}`], dictionary: d('email') }
    case 'calendar': return { texts: [fixture('calendar.ics')], dictionary: d('calendar') }
    case 'pdf': return { texts: [SAMPLES.pdf], dictionary: d('pdf'), encoding: 'latin1' }
    case 'notes': case 'markdown': return { texts: [fixture('vault/Climbing.md'), fixture('vault/Daily/2024-05-14.md'), SAMPLES.markdown], dictionary: d('markdown') }
    case 'text': return { texts: [SAMPLES.text], dictionary: d('text') }
  }
}

/** Cases around one format's samples: line edits with its tokens, flipped bytes, JSON subtree edits, any bytes. */
function casesFor (format: Format): fc.Arbitrary<Uint8Array> {
  const { texts, json, dictionary, encoding } = samplesOf(format)
  const text = fc.oneof({ weight: 4, arbitrary: linesAround(texts, dictionary, encoding) }, { weight: 2, arbitrary: bytesFlipped(texts.map(t => Buffer.from(t, encoding))) }, { weight: 1, arbitrary: anyBytes() })
  return json === true ? fc.oneof({ weight: 1, arbitrary: jsonAround(texts.map(t => JSON.parse(t) as Json)) }, { weight: 1, arbitrary: text }) : text
}

export const PARSER_FORMATS: readonly Format[] = ['whatsapp', 'telegram', 'email', 'mbox', 'calendar', 'pdf', 'notes', 'text', 'generic', 'locomo', 'chatgpt']

/** Each format's valid samples, parsed as the fuzz targets parse them (the test checks they give items). */
export async function parseSamples (): Promise<Array<{ format: Format, items: number }>> {
  const out: Array<{ format: Format, items: number }> = []
  for (const format of PARSER_FORMATS) {
    const { texts, encoding } = samplesOf(format)
    for (const t of texts) out.push({ format, items: (await parseSource(format === 'notes' ? 'markdown' : format, contextOf(`sample${EXT[format]}`, Buffer.from(t, encoding)))).length })
  }
  return out
}

const EXT: Record<Format, string> = {
  whatsapp: '.txt', telegram: '.json', chatgpt: '.json', generic: '.json', locomo: '.json', email: '.eml', mbox: '.mbox', calendar: '.ics', pdf: '.pdf', notes: '.md', markdown: '.md', text: '.txt'
}

/** Calendar recurrences expand around this instant (the fixture's events are in May 2024). */
const NOW = Date.parse('2024-05-10T00:00:00Z')

function contextOf (name: string, bytes: Uint8Array): ParseContext {
  return { path: `fuzz/${name}`, bytes, mtime: new Date(NOW).toISOString(), owner: new Owner('Robin Smith', ['robin@example.com', 'user1234567']), now: NOW, calendarDays: { past: 30, future: 60 } }
}

const isIso = (t: unknown): boolean => typeof t === 'string' && Number.isFinite(Date.parse(t)) && new Date(Date.parse(t)).toISOString() === t
const optString = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v !== '')

/** What every accepted parse must be: items with text, a thread, optional ISO time and provenance. */
export function checkItems (output: unknown): string | undefined {
  if (!Array.isArray(output)) return 'the parser did not return a list of items'
  for (const item of output as ParsedItem[]) {
    const bad = typeof item.text !== 'string' || item.text.trim() === '' ? 'empty text'
      : typeof item.thread !== 'string' || item.thread === '' ? 'no thread'
        : item.time !== undefined && !isIso(item.time) ? `time ${String(item.time)} is not an ISO instant`
          : !optString(item.speaker) || !optString(item.key) || !optString(item.ref) || (item.extra !== undefined && typeof item.extra !== 'string') ? 'a provenance field is not a string'
            : item.topics !== undefined && (!Array.isArray(item.topics) || item.topics.some(t => typeof t !== 'string' || t === '')) ? 'topics are not strings'
              : undefined
    if (bad !== undefined) return `${bad}: ${JSON.stringify(item).slice(0, 200)}`
  }
  return undefined
}

/** One target per parser, plus detection by content (the format ingest would pick) on all samples. */
export function parserTargets (): FuzzTarget[] {
  const formats = PARSER_FORMATS
  const all = fc.oneof(...formats.map(f => casesFor(f).map(b => [f, b] as const)))
  return [
    ...formats.map((format): FuzzTarget => ({
      name: `file parser: ${format === 'email' ? 'eml' : format === 'calendar' ? 'ics' : format}`,
      input: casesFor(format),
      run: async (b) => await parseSource(format === 'notes' ? 'markdown' : format, contextOf(`sample${EXT[format]}`, b as Uint8Array)),
      check: checkItems,
      checkLabel: 'well-formed',
      warmup: async () => await parseSource('pdf', contextOf('warmup.pdf', Buffer.from(SAMPLES.pdf, 'latin1')))
    })),
    {
      name: 'file format detection + parse',
      input: all,
      run: async (x) => {
        const [f, b] = x as readonly [Format, Uint8Array]
        const name = `sample${EXT[f]}`
        const detected = detectFormatOf(Buffer.from(b.subarray(0, 64 * 1024)), name)
        return detected.format === undefined ? [] : await parseSource(detected.format, contextOf(name, b))
      },
      check: checkItems,
      checkLabel: 'well-formed',
      warmup: async () => await parseSource('pdf', contextOf('warmup.pdf', Buffer.from(SAMPLES.pdf, 'latin1')))
    }
  ]
}

/** The end-to-end path: a file on disk through `me.memory.ingest` into the real vault (few cases: each writes). */
export function ingestTarget (dir: string, home: () => Promise<SecondMe>): FuzzTarget {
  const formats: Array<Format> = ['whatsapp', 'telegram', 'email', 'mbox', 'calendar', 'pdf', 'notes', 'chatgpt']
  let n = 0
  return {
    name: 'file ingest end to end (real vault)',
    maxCases: 300,
    // A case ingests up to thousands of items (a calendar's endless rule) into the vault.
    hangMs: 120_000,
    input: fc.oneof(...formats.map(f => casesFor(f).map(b => [f, b] as const))),
    run: async (x) => {
      const [f, b] = x as readonly [Format, Uint8Array]
      const path = join(dir, `e2e-${n++}${EXT[f]}`)
      await writeFile(path, b)
      const result = await (await home()).memory.ingest([path], { embed: false })
      return result
    },
    check: (output) => {
      const r = output as { files: number, reports: Array<{ status: string }> }
      return r.files === 1 && r.reports.length === 1 && ['ingested', 'known'].includes(r.reports[0]?.status ?? '') ? undefined : `unexpected ingest result ${JSON.stringify(output).slice(0, 200)}`
    },
    checkLabel: 'ingested'
  }
}
