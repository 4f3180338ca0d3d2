import type { ParsedItem } from '../types.js'
import { readText, type ParseContext } from './context.js'

const MAX_PASSAGE = 800

/** Plain text: one item per paragraph (blank-line separated), long paragraphs cut at sentence ends. */
export function parseText (text: string, time: string | undefined): ParsedItem[] {
  return paragraphs(text).flatMap(p => chunk(p)).map(p => ({ text: p, thread: 'note', ...(time === undefined ? {} : { time }) }))
}

/** Markdown: paragraphs under their heading; the heading travels with each item as side text. */
export function parseMarkdown (text: string, time: string | undefined): ParsedItem[] {
  const items: ParsedItem[] = []
  let heading: string | undefined
  let body: string[] = []
  let section = 0
  const flush = (): void => {
    for (const p of paragraphs(body.join('\n')).flatMap(chunk)) {
      // Each section is its own thread: neighbours and topics stay within a heading.
      items.push({ text: p, thread: `section-${section}`, ...(heading === undefined ? {} : { extra: heading }), ...(time === undefined ? {} : { time }) })
    }
    body = []
  }
  for (const line of text.split(/\r?\n/)) {
    const h = /^#{1,6}\s+(.*)$/.exec(line)
    if (h !== null) {
      flush()
      section++
      heading = h[1]?.trim()
    } else body.push(line.replace(/^\s*[-*+]\s+/, '').replace(/^>\s?/, ''))
  }
  flush()
  return items
}

function paragraphs (text: string): string[] {
  return text.split(/\n\s*\n/).map(p => p.replace(/\s+/g, ' ').trim()).filter(p => p !== '' && !/^```/.test(p))
}

function chunk (paragraph: string): string[] {
  if (paragraph.length <= MAX_PASSAGE) return [paragraph]
  const out: string[] = []
  let current = ''
  for (const sentence of paragraph.split(/(?<=[.!?])\s+/)) {
    if (current !== '' && current.length + sentence.length > MAX_PASSAGE) {
      out.push(current)
      current = ''
    }
    current = current === '' ? sentence : `${current} ${sentence}`
  }
  if (current !== '') out.push(current)
  return out
}

export async function parseTextFile (ctx: ParseContext): Promise<ParsedItem[]> {
  return parseText(await readText(ctx), ctx.mtime)
}

export async function parseMarkdownFile (ctx: ParseContext): Promise<ParsedItem[]> {
  return parseMarkdown(await readText(ctx), ctx.mtime)
}
