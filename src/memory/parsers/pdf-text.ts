// PDF text extraction with Mozilla's pdf.js (legacy build for Node; no canvas needed for text). Runs
// inside the PDF thread (pdf-thread.ts), never on the node's main thread: see pdf.ts for why.
// Lines are rebuilt from the positioned text runs, and a paragraph ends where the gap to the next
// line is clearly larger than the line spacing.

interface Run { str: string, transform: number[], hasEOL?: boolean, height?: number }

/** Why a PDF could not be read (the thread reports it; the parser turns it into E_MALFORMED_FILE). */
export class PdfUnreadable extends Error {
  override name = 'PdfUnreadable'
}

/** The paragraphs of every page, in page order. */
export async function pdfParagraphs (bytes: Uint8Array): Promise<string[][]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  let doc
  try {
    doc = await getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise
  } catch (err) {
    throw new PdfUnreadable(`not a readable PDF (${err instanceof Error ? err.message : String(err)})`)
  }
  try {
    const pages: string[][] = []
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        const content = await (await doc.getPage(n)).getTextContent()
        pages.push(paragraphs(content.items.filter((i): i is Run & typeof i => 'str' in i)))
      } catch (err) {
        // pdf.js finds most damage (a broken page tree, a bad stream) only when a page is read.
        throw new PdfUnreadable(`page ${n} of the PDF cannot be read (${err instanceof Error ? err.message : String(err)})`)
      }
    }
    return pages
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
