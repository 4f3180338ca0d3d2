import { basename, dirname, extname } from 'node:path'
import { parseString } from 'whatsapp-chat-parser'
import type { ParsedItem } from '../types.js'
import { isoTime, readText, type ParseContext } from './context.js'

// WhatsApp "Export chat" (.txt, "Without media"): Android "31/12/2023, 21:41 - Name: text",
// iOS "[31/12/2023, 21:41:05] Name: text", US "12/31/23, 9:41 PM - ". whatsapp-chat-parser knows the
// date orders and multi-line messages; system lines come back without an author.

/** Media placeholders and deleted messages: nothing the person wrote. */
const NOT_SAID = /^(?:Messages and calls are end-to-end encrypted\..*|<Media omitted>|<media omitted>|.{0,40} omitted|<attached: [^>]+>|This message was deleted\.?|You deleted this message\.?|null|Waiting for this message\. This may take a while\.)$/

export async function parseWhatsApp (ctx: ParseContext): Promise<ParsedItem[]> {
  const text = await readText(ctx)
  const thread = `WhatsApp: ${chatName(ctx.path)}`
  const seen = new Map<string, number>()
  const items: ParsedItem[] = []
  for (const m of parseString(text)) {
    if (m.author === null) continue
    const said = m.message.replace(/\u200e/g, '').replace(/\s*<This message was edited>$/, '').trim()
    if (said === '' || NOT_SAID.test(said)) continue
    const time = isoTime(m.date)
    // A line whose name is only marks or spaces still has a sender: say so rather than store "".
    const author = m.author.replace(/\u200e/g, '').trim() || 'unknown'
    // The same words from the same person in the same minute are still two messages.
    const base = `whatsapp:${thread}:${time ?? ''}:${author}:${said}`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    items.push({
      text: said, speaker: ctx.owner.speaker(author), thread, key: `${base}:${n}`,
      ...(time === undefined ? {} : { time })
    })
  }
  return items
}

/** "WhatsApp Chat with Sam.txt" → "Sam"; iOS "_chat.txt" inside "WhatsApp Chat - Sam/" → "Sam". */
export function chatName (path: string): string {
  const file = basename(path, extname(path))
  const name = file === '_chat' ? basename(dirname(path)) : file
  return name.replace(/^WhatsApp Chat (?:with |- )/i, '').trim() || name
}
