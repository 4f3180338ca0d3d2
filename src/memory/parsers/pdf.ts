import { InputError } from '../../errors.js'
import type { ParsedItem } from '../types.js'
import { malformed, readBytes, type ParseContext } from './context.js'

// PDF: the text layer, read with Mozilla's pdf.js (legacy build for Node; no canvas needed for text).
// Lines are rebuilt from the positioned text runs, and a paragraph ends where the gap to the next
// line is clearly larger than the line spacing. One memory per paragraph, with its page number.

interface Run { str: string, transform: number[], hasEOL?: boolean, height?: number }

export async function parsePdf (ctx: ParseContext): Promise<ParsedItem[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const chunks: Buffer[] = []
  for await (const chunk of readBytes(ctx)) chunks.push(chunk as Buffer)
  let doc
  try {
    doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise
  } catch (err) {
    throw malformed(ctx, 'not a readable PDF', err)
  }
  try {
    const items: ParsedItem[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      ctx.signal?.throwIfAborted()
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      const runs = content.items.filter((i): i is Run & typeof i => 'str' in i)
      for (const text of paragraphs(runs)) items.push({ text, thread: 'document', extra: `page ${n}`, ref: `p${n}`, time: ctx.mtime })
    }
    if (items.length === 0) throw new InputError('E_NO_TEXT', `${ctx.path}: the PDF has no text layer (a scan?): run OCR on it first (e.g. ocrmypdf) and ingest the result`)
    return items
  } finally {
    await doc.destroy()
  }
}

function paragraphs (runs: Run[]): string[] {
  const lines: Array<{ text: string, y: number, h: number }> = []
  let current: { text: string, y: number, h: number } | undefined
  for (const run of runs) {
    const y = run.transform[5] ?? 0
    const h = run.height ?? Math.abs(run.transform[3] ?? 10)
    if (current === undefined || Math.abs(current.y - y) > h * 0.5) {
      if (current !== undefined) lines.push(current)
      current = { text: run.str, y, h }
    } else current.text += run.str
    if (run.hasEOL === true) {
      lines.push(current)
      current = undefined
    }
  }
  if (current !== undefined) lines.push(current)
  const out: string[] = []
  let para: string[] = []
  lines.forEach((line, i) => {
    const prev = lines[i - 1]
    if (prev !== undefined && para.length > 0 && (prev.y - line.y > Math.max(prev.h, line.h) * 1.7 || line.y > prev.y)) {
      out.push(para.join(' '))
      para = []
    }
    if (line.text.trim() !== '') para.push(line.text.trim())
  })
  if (para.length > 0) out.push(para.join(' '))
  return out.map(p => p.replace(/(\w)- (\w)/g, '$1$2').replace(/\s+/g, ' ').trim()).filter(p => p !== '')
}
