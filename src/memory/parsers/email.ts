import { createInterface } from 'node:readline'
import EmailReplyParser from 'email-reply-parser'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { ParsedItem } from '../types.js'
import { isoTime, malformed, readBytes, readText, type ParseContext } from './context.js'

// E-mail: one .eml message, or an mbox archive (Thunderbird, Gmail Takeout, Apple Mail export).
// mailparser decodes MIME (charsets, quoted-printable, base64) and turns HTML-only mail into text;
// email-reply-parser drops quoted replies and signatures, so a memory is what the sender wrote.

/** Beyond this a message is split into paragraphs (a newsletter, a long letter). */
const ONE_ITEM_CHARS = 1500

export async function parseEml (ctx: ParseContext): Promise<ParsedItem[]> {
  return await messageItems(Buffer.from(await readText(ctx), 'utf8'), ctx)
}

/** mbox: messages start at "From " lines; streamed line by line, one message parsed at a time. */
export async function parseMbox (ctx: ParseContext): Promise<ParsedItem[]> {
  const items: ParsedItem[] = []
  let lines: string[] = []
  let previousBlank = true
  const flush = async (): Promise<void> => {
    if (lines.length > 0) items.push(...await messageItems(Buffer.from(lines.join('\n'), 'utf8'), ctx))
    lines = []
  }
  for await (const line of createInterface({ input: readBytes(ctx), crlfDelay: Infinity })) {
    if (previousBlank && line.startsWith('From ')) await flush()
    else lines.push(line.replace(/^>(>*From )/, '$1'))
    previousBlank = line.trim() === ''
  }
  await flush()
  return items
}

async function messageItems (raw: Buffer, ctx: ParseContext): Promise<ParsedItem[]> {
  let mail: ParsedMail
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true })
  } catch (err) {
    throw malformed(ctx, 'not a readable e-mail message', err)
  }
  const visible = new EmailReplyParser().read((mail.text ?? '').replace(/\r\n/g, '\n')).getVisibleText().trim()
  if (visible === '') return []
  const sender = mail.from?.value[0]
  const name = [sender?.name, sender?.address].find(n => n !== undefined && n.trim() !== '') ?? 'unknown'
  const subject = mail.subject?.trim() ?? ''
  const attached = mail.attachments.map(a => a.filename).filter((f): f is string => f !== undefined)
  const extra = [subject === '' ? '' : `Subject: ${subject}`, attached.length === 0 ? '' : `[attached: ${attached.join(', ')}]`].filter(e => e !== '').join(' ')
  const time = isoTime(mail.date)
  const id = mail.messageId ?? `${sender?.address ?? ''}|${time ?? ''}|${subject}`
  const base = {
    speaker: ctx.owner.speaker(name, ctx.owner.is(sender?.name, sender?.address)),
    thread: `Mail: ${threadSubject(subject)}`, ref: id,
    ...(extra === '' ? {} : { extra }),
    ...(time === undefined ? {} : { time })
  }
  const parts = visible.length <= ONE_ITEM_CHARS ? [visible] : visible.split(/\n\s*\n/).map(p => p.trim()).filter(p => p !== '')
  return parts.map((text, i) => ({ ...base, text, key: `email:${id}:${i}` }))
}

/** Replies and forwards belong to the conversation they answer. */
function threadSubject (subject: string): string {
  const bare = subject.replace(/^(?:\s*(?:re|fw|fwd|aw|wg|sv|vs|tr|rif)\s*(?:\[\d+\])?\s*:\s*)+/i, '').trim()
  return bare === '' ? '(no subject)' : bare
}
