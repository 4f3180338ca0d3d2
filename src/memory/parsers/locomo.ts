import { z, ZodError } from 'zod'
import type { ParsedItem } from '../types.js'
import { parseLooseDate } from '../time.js'

const Turn = z.object({
  speaker: z.string().min(1),
  text: z.string(),
  dia_id: z.string().optional(),
  blip_caption: z.string().optional()
}).loose()

const Sample = z.object({
  sample_id: z.string().optional(),
  conversation: z.record(z.string(), z.unknown())
}).loose()

export const LocomoSchema = z.union([z.array(Sample).min(1), Sample])

/** LoCoMo: samples of sessions (`session_N` turns, `session_N_date_time`). One thread per session. */
export function parseLocomo (json: unknown): ParsedItem[] {
  const parsed = LocomoSchema.parse(json)
  const samples = Array.isArray(parsed) ? parsed : [parsed]
  const items: ParsedItem[] = []
  samples.forEach((sample, s) => {
    const conv = sample.conversation
    const sessions = Object.keys(conv).filter(k => /^session_\d+$/.test(k)).sort((a, b) => num(a) - num(b))
    for (const key of sessions) {
      const checked = z.array(Turn).safeParse(conv[key])
      if (!checked.success) throw new ZodError(checked.error.issues.map(i => ({ ...i, path: ['conversation', key, ...i.path] })))
      const turns = checked.data
      const rawDate = conv[`${key}_date_time`]
      const time = typeof rawDate === 'string' ? parseLooseDate(rawDate) : undefined
      const thread = `${sample.sample_id ?? `sample-${s}`}/${key}`
      for (const turn of turns) {
        // A turn with no words (a damaged file) is nothing said; it would be an empty memory.
        if (turn.text.trim() === '') continue
        items.push({
          text: turn.text,
          speaker: turn.speaker,
          thread,
          ...(time === undefined ? {} : { time }),
          ...(turn.blip_caption === undefined ? {} : { extra: `[shares a photo: ${turn.blip_caption}]` }),
          ...(turn.dia_id === undefined || turn.dia_id === '' ? {} : { ref: turn.dia_id })
        })
      }
    }
  })
  return items
}

function num (key: string): number {
  return Number(key.slice('session_'.length))
}
