import { z } from 'zod'
import type { ParsedItem } from '../types.js'

const Node = z.object({
  message: z.object({
    author: z.object({ role: z.string() }).loose(),
    create_time: z.number().nullable().optional(),
    content: z.object({ parts: z.array(z.unknown()).optional() }).loose()
  }).loose().nullable().optional()
}).loose()

const Conversation = z.object({
  title: z.string().nullable().optional(),
  create_time: z.number().nullable().optional(),
  mapping: z.record(z.string(), Node)
}).loose()

export const ChatGptSchema = z.array(Conversation)

export function looksLikeChatGpt (json: unknown): boolean {
  return Array.isArray(json) && typeof json[0] === 'object' && json[0] !== null && 'mapping' in json[0]
}

/** ChatGPT's conversations.json export: user and assistant messages, one thread per conversation. */
export function parseChatGpt (json: unknown): ParsedItem[] {
  const items: ParsedItem[] = []
  ChatGptSchema.parse(json).forEach((conv, c) => {
    const messages = Object.values(conv.mapping)
      .map(node => node.message)
      .filter((m): m is NonNullable<typeof m> => m !== null && m !== undefined)
      .filter(m => m.author.role === 'user' || m.author.role === 'assistant')
      .map(m => ({ role: m.author.role, at: m.create_time ?? conv.create_time ?? 0, text: textOf(m.content.parts) }))
      .filter(m => m.text.trim() !== '')
      .sort((a, b) => a.at - b.at)
    for (const m of messages) {
      items.push({
        text: m.text,
        speaker: m.role,
        thread: `chatgpt-${c}`,
        ...(m.at > 0 ? { time: new Date(m.at * 1000).toISOString() } : {})
      })
    }
  })
  return items
}

function textOf (parts: unknown[] | undefined): string {
  return (parts ?? []).filter((p): p is string => typeof p === 'string').join('\n')
}
