import { z } from 'zod'
import chain from 'stream-chain'
import { parser } from 'stream-json'
import { pick } from 'stream-json/filters/pick.js'
import { streamValues } from 'stream-json/streamers/stream-values.js'
import type { ParsedItem } from '../types.js'
import { isoTime, malformed, readBytes, readText, type ParseContext } from './context.js'

// Telegram Desktop → Settings → Advanced → Export Telegram data, format "Machine-readable JSON":
// result.json holds `personal_information` (the owner's user id) and `chats.list`, each chat with its
// messages; exporting a single chat gives one chat object at the top. Text is a string or a list of
// plain strings and entities ({type, text}) for bold, links, mentions…

const Entity = z.union([z.string(), z.object({ type: z.string().optional(), text: z.string() }).loose()])

const Message = z.object({
  id: z.union([z.number(), z.string().min(1)]),
  type: z.string(),
  date: z.string().optional(),
  date_unixtime: z.string().optional(),
  from: z.string().nullable().optional(),
  from_id: z.string().optional(),
  text: z.union([z.string(), z.array(Entity)]).optional()
}).loose()

const Chat = z.object({
  name: z.string().nullable().optional(),
  type: z.string().optional(),
  id: z.union([z.number(), z.string().min(1)]),
  messages: z.array(z.unknown()).default([])
}).loose()

type ChatT = z.infer<typeof Chat>

export async function parseTelegram (ctx: ParseContext): Promise<ParsedItem[]> {
  const head = (await readHead(ctx)).slice(0, 65536)
  if (!/"personal_information"|"chats"\s*:/.test(head)) return chatItems(checked(ctx, parseJson(await readText(ctx), ctx)), undefined, ctx)
  const ownerId = /"personal_information"\s*:\s*\{[^}]*?"user_id"\s*:\s*(\d+)/.exec(head)?.[1]
  const items: ParsedItem[] = []
  // A full export can be large: chats are assembled one at a time.
  const pipeline = chain([readBytes(ctx), parser(), pick({ filter: /^(?:chats|left_chats)\.list\.\d+$/ }), streamValues()])
  try {
    for await (const entry of pipeline as AsyncIterable<{ value: unknown }>) items.push(...chatItems(checked(ctx, entry.value), ownerId, ctx))
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw err
    throw malformed(ctx, 'not a valid Telegram export', err)
  }
  return items
}

/** A single chat's export, read whole. */
function parseJson (text: string, ctx: ParseContext): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw malformed(ctx, 'not a valid Telegram chat export', err)
  }
}

function checked (ctx: ParseContext, value: unknown): ChatT {
  const chat = Chat.safeParse(value)
  if (!chat.success) throw malformed(ctx, `Telegram chat: ${chat.error.issues[0]?.path.join('.') ?? ''} ${chat.error.issues[0]?.message ?? ''}`)
  return chat.data
}

function chatItems (chat: ChatT, ownerId: string | undefined, ctx: ParseContext): ParsedItem[] {
  const thread = `Telegram: ${chat.name ?? String(chat.id)}`
  const items: ParsedItem[] = []
  for (const raw of chat.messages) {
    const parsed = Message.safeParse(raw)
    if (!parsed.success || parsed.data.type !== 'message') continue
    const m = parsed.data
    const text = textOf(m.text).trim()
    if (text === '') continue
    const from = [m.from, m.from_id].find(n => typeof n === 'string' && n.trim() !== '') ?? 'unknown'
    const isOwner = (ownerId !== undefined && m.from_id === `user${ownerId}`) || ctx.owner.is(m.from ?? undefined, m.from_id)
    const time = isoTime(m.date_unixtime !== undefined ? Number(m.date_unixtime) : m.date)
    items.push({
      text, thread, ref: String(m.id), key: `telegram:${String(chat.id)}:${String(m.id)}`,
      speaker: ctx.owner.speaker(from, isOwner),
      ...(time === undefined ? {} : { time })
    })
  }
  return items
}

function textOf (text: z.infer<typeof Message>['text']): string {
  if (text === undefined) return ''
  if (typeof text === 'string') return text
  return text.map(e => typeof e === 'string' ? e : e.text).join('')
}

async function readHead (ctx: ParseContext): Promise<string> {
  for await (const chunk of readBytes({ ...ctx, onBytes: () => {} })) return (chunk as Buffer).toString('utf8')
  return ''
}
