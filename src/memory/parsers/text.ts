import type { ParsedItem } from '../types.js'
import { basename, extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { isoTime, malformed, readText, type ParseContext } from './context.js'

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

/**
 * A Markdown note (an Obsidian / Logseq / Foam vault is a folder of them): YAML front matter gives
 * the time (`date`/`created`) and tags; front-matter and inline #tags become the note's topics;
 * [[wiki links]] are kept as their text; the note's title (file name) is its thread.
 */
export async function parseMarkdownFile (ctx: ParseContext): Promise<ParsedItem[]> {
  const { meta, body } = frontMatter(await readText(ctx), ctx)
  const tags = [...toList(meta.tags), ...toList(meta.tag), ...[...body.matchAll(/(?:^|\s)#([\p{L}][\p{L}\p{N}_/-]*)/gu)].map(m => m[1] ?? '')]
    .map(t => t.replace(/^#/, '').replace(/[/_-]+/g, ' ').trim()).filter(t => t !== '')
  const time = dateOf(meta.date ?? meta.created) ?? ctx.mtime
  const title = typeof meta.title === 'string' ? meta.title : basename(ctx.path, extname(ctx.path))
  const text = body.replace(/!?\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]+))?\]\]/g, (_m, target: string, alias?: string) => alias ?? target)
  return parseMarkdown(text, time).map(i => ({ ...i, thread: `${title}/${i.thread}`, ...(tags.length === 0 ? {} : { topics: [...new Set(tags)] }) }))
}

function frontMatter (text: string, ctx: ParseContext): { meta: Record<string, unknown>, body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text)
  if (m === null) return { meta: {}, body: text }
  let meta: unknown
  try {
    // Warnings (an unresolved tag…) would go to the process's warning channel, i.e. the terminal.
    meta = parseYaml(m[1] ?? '', { logLevel: 'error' })
  } catch (err) {
    throw malformed(ctx, 'invalid YAML front matter', err)
  }
  return { meta: typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta as Record<string, unknown> : {}, body: text.slice(m[0].length) }
}

function toList (value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[,\s]+/)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function dateOf (value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString()
  return typeof value === 'string' ? isoTime(value) : undefined
}
