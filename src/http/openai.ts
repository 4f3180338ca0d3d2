import { randomBytes } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { streamSSE, type SSEStreamingApi } from 'hono/streaming'
import { z } from 'zod'
import { InputError, InternalError } from '../errors.js'
import type { ResultOf } from '../ops.js'
import { jsonBody } from './api.js'
import { sendError } from './errors.js'
import type { DoorContext } from './server.js'
import { TextStream, type StreamItem } from './stream.js'

// OpenAI-compatible door under /v1: chat answers come from the `ask` op (recall + the active model
// or the extractive answerer), embeddings from the `embeddings` op. Cited memory ids travel in the
// extra field `secondme` of the completion (and of the last streamed chunk).

export const MODEL_ID = 'secondme'

const Content = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).loose())])
const ChatRequest = z.object({
  model: z.string().max(200).optional(),
  messages: z.array(z.object({ role: z.string().max(40), content: Content.nullable().optional() }).loose()).min(1).max(200),
  stream: z.boolean().optional()
}).loose()

const EmbeddingsRequest = z.object({
  model: z.string().max(200).optional(),
  input: z.union([z.string(), z.array(z.string())]),
  encoding_format: z.enum(['float', 'base64']).optional()
}).loose()

type AskAnswer = ResultOf<'ask'>

function parse<T> (schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InputError('E_BAD_INPUT', `${what}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim())
  }
  return parsed.data
}

function textOf (content: z.infer<typeof Content> | null | undefined): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content.map(p => p.text ?? '').join('')
}

interface ChatTurn { role: 'user' | 'assistant', text: string }

/**
 * The question is the last user message; the user and assistant turns before it are the chat's
 * history (a follow-up is recalled with them). System prompts are not used: the Second Me answers
 * only from memory, in its owner's voice.
 */
function questionOf (req: z.infer<typeof ChatRequest>): { question: string, history: ChatTurn[] } {
  const turns: ChatTurn[] = []
  for (const m of req.messages) {
    const text = textOf(m.content).trim()
    if ((m.role === 'user' || m.role === 'assistant') && text !== '') turns.push({ role: m.role, text: text.slice(0, 4000) })
  }
  const last = turns.findLastIndex(t => t.role === 'user')
  const question = turns[last]?.text
  if (question === undefined) throw new InputError('E_BAD_INPUT', 'messages: no user message with text')
  return { question, history: turns.slice(Math.max(0, last - 50), last) }
}

function completionBase (): { id: string, created: number, model: string } {
  return { id: `chatcmpl-${randomBytes(12).toString('base64url')}`, created: Math.floor(Date.now() / 1000), model: MODEL_ID }
}

function extra (a: AskAnswer): Record<string, unknown> {
  return { cited: a.cited, mode: a.mode, model: a.model }
}

export function mountOpenAi (app: Hono, door: DoorContext): void {
  app.get('/v1/models', c => c.json({
    object: 'list',
    data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: door.me.config.displayName ?? door.me.peerId }]
  }))
  app.post('/v1/chat/completions', async c => {
    try {
      const req = parse(ChatRequest, await jsonBody(c.req.raw), 'chat request')
      const { question, history } = questionOf(req)
      const stream = TextStream.of(async onText => await door.call('ask', { question, history }, { signal: c.req.raw.signal, onText }))
      // The first item decides: an error before any text is still a plain HTTP error.
      const first = await stream.next()
      if (req.stream !== true) return c.json(completion(first.kind === 'done' ? first.result : await lastResult(stream)))
      return streamSSE(c, async sse => { await streamChunks(sse, first, stream) })
    } catch (err) {
      return sendError(c, err)
    }
  })
  app.post('/v1/embeddings', async c => await embeddings(c, door))
}

async function lastResult (stream: TextStream<AskAnswer>): Promise<AskAnswer> {
  for await (const item of stream) if (item.kind === 'done') return item.result
  throw new InternalError('the answer ended without a result')
}

function completion (a: AskAnswer): Record<string, unknown> {
  return {
    ...completionBase(),
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: a.text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    secondme: extra(a)
  }
}

async function streamChunks (sse: SSEStreamingApi, first: StreamItem<AskAnswer>, rest: TextStream<AskAnswer>): Promise<void> {
  const base = { ...completionBase(), object: 'chat.completion.chunk' }
  const send = async (delta: Record<string, unknown>, finish: string | null, more: Record<string, unknown> = {}): Promise<void> => {
    await sse.writeSSE({ data: JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...more }) })
  }
  await send({ role: 'assistant', content: '' }, null)
  let streamed = false
  let item = first
  for (;;) {
    if (item.kind === 'done') {
      // An extractive answer does not stream: it arrives whole.
      if (!streamed) await send({ content: item.result.text }, null)
      await send({}, 'stop', { secondme: extra(item.result) })
      break
    }
    streamed = true
    await send({ content: item.text }, null)
    item = await rest.next()
  }
  await sse.writeSSE({ data: '[DONE]' })
}

async function embeddings (c: Context, door: DoorContext): Promise<Response> {
  try {
    const req = parse(EmbeddingsRequest, await jsonBody(c.req.raw), 'embeddings request')
    const input = typeof req.input === 'string' ? [req.input] : req.input
    const r = await door.call('embeddings', { input }, { signal: c.req.raw.signal })
    const encode = (v: number[]): number[] | string => req.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v
    return c.json({
      object: 'list',
      data: r.vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v) })),
      model: r.model,
      usage: { prompt_tokens: 0, total_tokens: 0 }
    })
  } catch (err) {
    return sendError(c, err)
  }
}
