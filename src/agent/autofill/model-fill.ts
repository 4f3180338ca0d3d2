import type { ChatPrompt, JsonSchema, Llm } from '../../model/llm.js'
import { fitMemories } from '../prompt.js'
import type { ScopedMemory } from '../memory-access.js'
import { fieldLabel, type FormField } from './fields.js'
import type { Found } from './extract.js'

/**
 * One flat object whose every value is one of the field's candidate values (found in memory) or null:
 * the grammar itself keeps the model from writing a value no memory supports.
 */
export function modelSchema (fields: ReadonlyArray<{ field: FormField, options: Found[] }>): JsonSchema {
  const properties: Record<string, unknown> = {}
  for (const { field, options } of fields) properties[field.path.join('.')] = { enum: [...options.map(o => o.value), null] }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }
}

function formPrompt (fields: ReadonlyArray<{ field: FormField, options: Found[] }>, memories: readonly ScopedMemory[], context: string, maxMemoryChars: number): ChatPrompt {
  const lines = fitMemories(memories, { maxMemoryChars }).map(m => `[${m.id}] ${m.text}`)
  return {
    system: [
      'You fill a form for the owner using ONLY the memories below.',
      'For each field choose the option the memories state, or null when none fits. Never guess.',
      'Memories:', ...(lines.length === 0 ? ['(none)'] : lines)
    ].join('\n'),
    turns: [{
      role: 'user',
      text: `${context === '' ? '' : `Context: ${context}\n`}Fields:\n${fields.map(({ field, options }) => `- ${field.path.join('.')}: ${fieldLabel(field)} (options: ${options.map(o => JSON.stringify(o.value)).join(', ')}, null)`).join('\n')}`
    }]
  }
}

/**
 * Grammar-constrained choice among the candidate values memory supports (or null) per field: the
 * model can leave a field empty or pick the better-fitting candidate, never write a new value.
 */
export async function fillWithModel (llm: Llm, fields: ReadonlyArray<{ field: FormField, options: Found[] }>, memories: readonly ScopedMemory[], context: string, maxMemoryChars: number, signal?: AbortSignal): Promise<Map<string, Found>> {
  const out = new Map<string, Found>()
  const offered = fields.filter(f => f.options.length > 0)
  if (offered.length === 0) return out
  // The answer's size is known: every value is one of the options, and no tokenizer spends more than
  // a token per byte. Memories give way until prompt and answer fit the context.
  const reserve = Buffer.byteLength(JSON.stringify(Object.fromEntries(offered.map(({ field, options }) => [field.path.join('.'), options.map(o => JSON.stringify(o.value)).reduce((a, b) => a.length >= b.length ? a : b, 'null')])))) + 16
  let budget = maxMemoryChars
  let prompt = formPrompt(offered, memories, context, budget)
  while (llm.promptRoom !== undefined && budget > 200 && await llm.promptRoom(prompt) < reserve) {
    budget = Math.floor(budget / 2)
    prompt = formPrompt(offered, memories, context, budget)
  }
  const raw = await llm.structured(prompt, modelSchema(offered), { maxTokens: reserve, ...(signal === undefined ? {} : { signal }) })
  const record = (raw ?? {}) as Record<string, unknown>
  for (const { field, options } of offered) {
    const key = field.path.join('.')
    const chosen = options.find(o => o.value === record[key])
    if (chosen !== undefined) out.set(key, chosen)
  }
  return out
}
