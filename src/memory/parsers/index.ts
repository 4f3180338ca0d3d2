import { ZodError } from 'zod'
import { InputError } from '../../errors.js'
import type { ParsedItem, SourceFormat } from '../types.js'
import { parseCalendar } from './calendar.js'
import { chatGptItems, parseChatGpt } from './chatgpt.js'
import { malformed, readText, type ParseContext, type Parser } from './context.js'
import { parseEml, parseMbox } from './email.js'
import { parseGeneric } from './generic.js'
import { parseLocomo } from './locomo.js'
import { parsePdf } from './pdf.js'
import { parseTelegram } from './telegram.js'
import { parseMarkdownFile, parseTextFile } from './text.js'
import { parseWhatsApp } from './whatsapp.js'

export { detectFormat, detectFormatOf } from './detect.js'
export { Owner, type ParseContext } from './context.js'

/** One parser per format; each reads the file itself (streaming where exports grow large). */
const PARSERS: Record<SourceFormat, Parser> = {
  chatgpt: parseChatGpt,
  locomo: jsonParser(parseLocomo),
  generic: jsonParser(parseGeneric),
  telegram: parseTelegram,
  whatsapp: parseWhatsApp,
  email: parseEml,
  mbox: parseMbox,
  calendar: parseCalendar,
  pdf: parsePdf,
  markdown: parseMarkdownFile,
  text: parseTextFile
}

export async function parseSource (format: SourceFormat, ctx: ParseContext): Promise<ParsedItem[]> {
  try {
    return await PARSERS[format](ctx)
  } catch (err) {
    throw schemaError(err, ctx)
  }
}

/**
 * The items of a source as they are parsed: ChatGPT exports (hundreds of MB) stream one
 * conversation at a time; the other formats are parsed whole (they are small by nature, or their
 * parser library takes the whole text: a 100k-line WhatsApp chat is ~10 MB) and then handed out.
 */
export async function * streamSource (format: SourceFormat, ctx: ParseContext): AsyncGenerator<ParsedItem> {
  try {
    if (format === 'chatgpt') yield * chatGptItems(ctx)
    else yield * await PARSERS[format](ctx)
  } catch (err) {
    throw schemaError(err, ctx)
  }
}

function schemaError (err: unknown, ctx: ParseContext): unknown {
  if (!(err instanceof ZodError)) return err
  const issue = err.issues[0]
  return malformed(ctx, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid content'}`)
}

/** Small JSON formats (LoCoMo, the generic conversation) are read whole and checked by their schema. */
function jsonParser (parse: (json: unknown) => ParsedItem[]): Parser {
  return async (ctx) => {
    const text = await readText(ctx)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      throw new InputError('E_MALFORMED_FILE', `${ctx.path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
    }
    return parse(json)
  }
}

