import type { Readable } from 'node:stream'
import { z } from 'zod'
import chain from 'stream-chain'
import { parser } from 'stream-json'
import { streamArray } from 'stream-json/streamers/stream-array.js'
import type { ParsedItem } from '../types.js'
import { isoTime, malformed, readBytes, type ParseContext } from './context.js'

// ChatGPT's conversations.json: an array of conversations, each a tree of nodes (`mapping`) whose
// live branch ends at `current_node`. Edited prompts and regenerated answers leave dead branches in
// the tree; only the branch the user last saw is what was said.

const Message = z.object({
  id: z.string().optional(),
  author: z.object({ role: z.string() }).loose(),
  create_time: z.number().nullable().optional(),
  content: z.object({ content_type: z.string().optional(), parts: z.array(z.unknown()).optional(), text: z.string().optional() }).loose(),
  recipient: z.string().nullable().optional(),
  metadata: z.object({ is_visually_hidden_from_conversation: z.boolean().nullable().optional() }).loose().nullable().optional()
}).loose()

const Node = z.object({
  message: Message.nullable().optional(),
  parent: z.string().nullable().optional()
}).loose()

const Conversation = z.object({
  id: z.string().optional(),
  conversation_id: z.string().optional(),
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  current_node: z.string().nullable().optional(),
  mapping: z.record(z.string(), Node)
}).loose()

type Conv = z.infer<typeof Conversation>
type Msg = z.infer<typeof Message>

/** What the assistant says is a separate speaker; what "user" says is the owner's. */
export const ASSISTANT = 'ChatGPT'
/** Content types that are what a person read or wrote (not tool calls, code runs or hidden reasoning). */
const SPOKEN = new Set(['text', 'multimodal_text'])

/** The whole export's items (small exports, tests); ingest streams with chatGptItems. */
export async function parseChatGpt (ctx: ParseContext): Promise<ParsedItem[]> {
  const items: ParsedItem[] = []
  for await (const item of chatGptItems(ctx)) items.push(item)
  return items
}

/**
 * Streams the export one conversation at a time and yields its items as they come: memory stays
 * bounded by the largest conversation, not the export (the reader waits while the consumer writes).
 */
export async function * chatGptItems (ctx: ParseContext): AsyncGenerator<ParsedItem> {
  const file = readBytes(ctx)
  const pipeline = chain([file, parser(), streamArray()])
  try {
    for await (const entry of pipeline as AsyncIterable<{ key: number, value: unknown }>) {
      holdWhileQueued(file, pipeline)
      const conv = Conversation.safeParse(entry.value)
      if (!conv.success) throw malformed(ctx, `conversation ${entry.key}: ${conv.error.issues[0]?.path.join('.') ?? ''} ${conv.error.issues[0]?.message ?? ''}`)
      yield * conversationItems(conv.data, entry.key, ctx)
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw err
    if (ctx.signal?.aborted === true) throw err
    throw malformed(ctx, 'not a valid ChatGPT conversations.json', err)
  } finally {
    pipeline.destroy()
  }
}

/** Conversations parsed ahead of the consumer before the file is held. */
const QUEUED_CONVERSATIONS = 16

/**
 * stream-chain's stages accept every chunk at once (their writes never push back), so the file
 * would be read and parsed to its end while the consumer is still writing the first chunk: the
 * whole export in memory. The file is paused while conversations queue up and resumed as they drain.
 */
function holdWhileQueued (file: Readable, pipeline: ReturnType<typeof chain>): void {
  const queued = pipeline.readableLength + (pipeline.output as Readable).readableLength
  if (queued > QUEUED_CONVERSATIONS) file.pause()
  else if (file.isPaused()) file.resume()
}

/** The live branch (current_node back to the root), oldest first, without hidden or non-spoken nodes. */
export function conversationItems (conv: Conv, index: number, ctx: Pick<ParseContext, 'owner'>): ParsedItem[] {
  const convId = conv.conversation_id ?? conv.id ?? `conversation-${index}`
  const title = conv.title?.trim() ?? ''
  const thread = `${title === '' ? 'ChatGPT' : title} [${convId.slice(0, 8)}]`
  const items: ParsedItem[] = []
  for (const [nodeId, message] of liveBranch(conv)) {
    if (!spoken(message)) continue
    const text = textOf(message)
    if (text === '') continue
    const owner = message.author.role === 'user'
    const time = isoTime(message.create_time ?? conv.create_time)
    // Ids are only ever empty in a damaged export; the node's place in the branch still names it.
    const ref = [message.id, nodeId].find(id => id !== undefined && id !== '') ?? `node-${items.length}`
    items.push({
      text, thread, ref, key: `chatgpt:${convId}:${ref}`,
      speaker: owner ? ctx.owner.name : ASSISTANT,
      ...(time === undefined ? {} : { time })
    })
  }
  return items
}

function liveBranch (conv: Conv): Array<[string, Msg]> {
  const ids = Object.keys(conv.mapping)
  // Old exports have no current_node: the leaf that was written last is the live end.
  let cursor: string | null | undefined = conv.current_node ?? latestLeaf(conv)
  const branch: Array<[string, Msg]> = []
  const seen = new Set<string>()
  while (cursor !== null && cursor !== undefined && !seen.has(cursor)) {
    seen.add(cursor)
    const node: z.infer<typeof Node> | undefined = conv.mapping[cursor]
    if (node === undefined) break
    if (node.message !== null && node.message !== undefined) branch.push([cursor, node.message])
    cursor = node.parent
  }
  return ids.length === 0 ? [] : branch.reverse()
}

function latestLeaf (conv: Conv): string | undefined {
  const parents = new Set(Object.values(conv.mapping).map(n => n.parent).filter((p): p is string => typeof p === 'string'))
  let best: [string, number] | undefined
  for (const [id, node] of Object.entries(conv.mapping)) {
    if (parents.has(id)) continue
    const at = node.message?.create_time ?? 0
    if (best === undefined || at >= best[1]) best = [id, at]
  }
  return best?.[0]
}

function spoken (m: Msg): boolean {
  if (m.author.role !== 'user' && m.author.role !== 'assistant') return false
  if (m.metadata?.is_visually_hidden_from_conversation === true) return false
  if (m.recipient !== undefined && m.recipient !== null && m.recipient !== 'all') return false
  return SPOKEN.has(m.content.content_type ?? 'text')
}

/** Text parts in order; images and files in multimodal messages are named, not dropped silently. */
function textOf (m: Msg): string {
  const out: string[] = []
  for (const part of m.content.parts ?? []) {
    if (typeof part === 'string') out.push(part)
    else if (typeof part === 'object' && part !== null) {
      const p = part as { content_type?: unknown, text?: unknown }
      if (typeof p.text === 'string') out.push(p.text)
      else if (p.content_type === 'image_asset_pointer') out.push('[image]')
    }
  }
  const text = out.join('\n').trim()
  return text === '[image]' ? '' : text
}
