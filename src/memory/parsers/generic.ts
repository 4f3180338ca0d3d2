import { z } from 'zod'
import type { ParsedItem } from '../types.js'

/**
 * The documented generic conversation format:
 * `{ "title"?: string, "messages": [{ "speaker"|"role": string, "text"|"content": string, "time"?: ISO string }] }`
 */
const Message = z.object({
  speaker: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  text: z.string().optional(),
  content: z.string().optional(),
  time: z.string().refine(t => !Number.isNaN(Date.parse(t)), 'time must be an ISO 8601 date').optional()
}).loose().refine(m => m.text !== undefined || m.content !== undefined, 'a message needs "text" or "content"')

export const GenericSchema = z.object({
  title: z.string().optional(),
  messages: z.array(Message).min(1)
}).loose()

export function parseGeneric (json: unknown): ParsedItem[] {
  const conv = GenericSchema.parse(json)
  return conv.messages
    .map(m => ({ text: m.text ?? m.content ?? '', speaker: m.speaker ?? m.role, time: m.time }))
    .filter(m => m.text.trim() !== '')
    .map(m => ({
      text: m.text,
      thread: 'conversation',
      ...(m.speaker === undefined ? {} : { speaker: m.speaker }),
      ...(m.time === undefined ? {} : { time: new Date(m.time).toISOString() })
    }))
}
