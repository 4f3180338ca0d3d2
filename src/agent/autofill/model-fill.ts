import type { ChatPrompt, JsonSchema, Llm } from '../../model/llm.js'
import { fitMemories } from '../prompt.js'
import { terms } from '../text.js'
import type { ScopedMemory } from '../memory-access.js'
import { fieldLabel, type FormField } from './fields.js'
import type { Found } from './extract.js'

/** One flat, all-nullable object: the grammar forces every key, `null` is how the model abstains. */
export function modelSchema (fields: readonly FormField[]): JsonSchema {
  const properties: Record<string, unknown> = {}
  for (const f of fields) {
    const key = f.path.join('.')
    properties[key] = f.enum !== undefined
      ? { enum: [...f.enum, null] }
      : { type: [f.type, 'null'], ...(f.maxLength === undefined ? {} : { maxLength: f.maxLength }) }
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }
}

function formPrompt (fields: readonly FormField[], memories: readonly ScopedMemory[], context: string, maxMemoryChars: number): ChatPrompt {
  const lines = fitMemories(memories, { maxMemoryChars }).map(m => `[${m.id}] ${m.text}`)
  return {
    system: [
      'You fill a form for the owner using ONLY the memories below.',
      'Use null for any field the memories do not state. Never guess.',
      'Memories:', ...(lines.length === 0 ? ['(none)'] : lines)
    ].join('\n'),
    turns: [{
      role: 'user',
      text: `${context === '' ? '' : `Context: ${context}\n`}Fields:\n${fields.map(f => `- ${f.path.join('.')}: ${fieldLabel(f)}`).join('\n')}`
    }]
  }
}

/** The memory that supports a model's value, if any: a value must be traceable to a memory to be kept. */
function support (value: string | number | boolean, memories: readonly ScopedMemory[]): string | undefined {
  if (typeof value === 'boolean') return undefined
  const valueTerms = terms(String(value))
  for (const m of memories) {
    const have = new Set(terms(m.text))
    if (typeof value === 'number') { if (m.text.includes(String(value))) return m.id; continue }
    if (valueTerms.length > 0 && valueTerms.filter(t => have.has(t)).length / valueTerms.length >= 0.6) return m.id
  }
  return undefined
}

/**
 * Grammar-constrained JSON from the model, then a grounding check: any value whose words are not
 * found in a recalled memory is dropped as invented, so the model path cannot fill more than memory supports.
 */
export async function fillWithModel (llm: Llm, fields: readonly FormField[], memories: readonly ScopedMemory[], context: string, maxMemoryChars: number, signal?: AbortSignal): Promise<Map<string, Found>> {
  const raw = await llm.structured(formPrompt(fields, memories, context, maxMemoryChars), modelSchema(fields), signal === undefined ? {} : { signal })
  const out = new Map<string, Found>()
  const record = (raw ?? {}) as Record<string, unknown>
  for (const f of fields) {
    const key = f.path.join('.')
    const value = record[key]
    if (value === null || value === undefined || value === '') continue
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue
    const memoryId = support(value, memories)
    if (memoryId !== undefined && typeof value !== 'boolean') out.set(key, { value, memoryId })
  }
  return out
}
