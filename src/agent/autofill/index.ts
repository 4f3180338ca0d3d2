import { ModelError } from '../../errors.js'
import type { Fact } from '../../memory/facts/types.js'
import type { Llm } from '../../model/llm.js'
import type { ScopedMemory } from '../memory-access.js'
import { overlap, terms } from '../../util/text.js'
import { categoryOf } from './categories.js'
import { fieldCandidates, fieldQuestion, KIND_HINTS, kindOf, type Found } from './extract.js'
import { checkFormSchema, fieldLabel, formShape, partialSchema, setPath, validate, type FormField } from './fields.js'
import { fillWithModel } from './model-fill.js'
import { isOwnQuestion, OWNED, ownedShare } from './ownership.js'
import type { TurnBefore } from './replies.js'

export interface AutofillDeps {
  /** Scoped recall for one query (the caller decides the scope: the owner's by default). */
  recall: (query: string, k: number) => Promise<ScopedMemory[]>
  /** A generating model, or undefined for extractive field matching. */
  llm?: Llm
  /** What was said right before a memory in its conversation (in the same scope): the question a reply answers. */
  turnBefore?: TurnBefore
  /** The owner's name from their profile, for name fields. */
  ownerName?: string
  /** The owner's L1 facts in the same scope: a value's citation, and a selection feature of the answerer. */
  facts?: readonly Fact[]
  k?: number
  maxMemoryChars?: number
  signal?: AbortSignal
}

export interface AutofillResult {
  value: Record<string, unknown>
  mode: 'model' | 'extractive'
  /** Each value with the memory it came from and, when one was drawn from that memory, the owner's fact it rests on. */
  filled: Array<{ field: string, value: string | number, source: string, fact?: string }>
  /** Fields left empty because no memory supports a value (never invented), plus unsupported shapes. */
  empty: string[]
  /** True when the value validates against the schema with its `required` lists removed. */
  valid: boolean
  /** True when it validates against the full schema (all required fields present). */
  complete: boolean
  errors: string[]
}

function isNameField (field: FormField): boolean {
  const last = (field.path.at(-1) ?? '').toLowerCase().replace(/[_\s-]/g, '')
  return ['name', 'fullname', 'displayname', 'yourname'].includes(last) && field.path.length <= 2 && field.type === 'string'
}

async function recallAll (deps: AutofillDeps, fields: readonly FormField[], context: string): Promise<Map<string, ScopedMemory[]>> {
  const byField = new Map<string, ScopedMemory[]>()
  for (const f of fields) {
    deps.signal?.throwIfAborted()
    const query = [fieldLabel(f), KIND_HINTS[kindOf(f)], categoryOf(f)?.hints ?? '', context].filter(s => s !== '').join(' ')
    byField.set(f.path.join('.'), terms(query).length === 0 ? [] : await deps.recall(query, deps.k ?? 8))
  }
  return byField
}

/**
 * How many values a model may choose among. A question's answers are ranked by their evidence (a
 * reply to the question, then the answerer's phrase): the model confirms the best one or leaves the
 * field empty, it does not trade it for a weaker one. Profile fields offer what memory says of them.
 */
const choices = (field: FormField): number => isOwnQuestion(field) ? 1 : 4

/** A field asking its own question is filled only when it asks about the owner's own thing (see ownership.ts). */
async function isOwners (field: FormField, memories: readonly ScopedMemory[], deps: AutofillDeps): Promise<boolean> {
  if (deps.ownerName === undefined || !isOwnQuestion(field)) return true
  deps.signal?.throwIfAborted()
  return await ownedShare(fieldQuestion(field, deps.ownerName), deps.ownerName, memories, deps) >= OWNED
}

/**
 * Fills a JSON Schema form from memory. With a model: grammar-constrained JSON, grounded against
 * the recalled memories; without: field matching. Unsupported fields stay empty and are listed.
 */
export async function autofill (schemaInput: unknown, context: string, deps: AutofillDeps): Promise<AutofillResult> {
  const schema = checkFormSchema(schemaInput)
  const shape = formShape(schema)
  const byField = await recallAll(deps, shape.fields, context)
  const found = new Map<string, Found>()
  for (const f of shape.fields) {
    if (isNameField(f) && deps.ownerName !== undefined) found.set(f.path.join('.'), { value: deps.ownerName, memoryId: 'profile' })
  }
  let mode: AutofillResult['mode'] = 'extractive'
  const rest = shape.fields.filter(f => !found.has(f.path.join('.')))
  // The values memory supports, per field: the extractive answer is the first; a model may only choose among them.
  const factSources = deps.facts === undefined ? undefined : new Set(deps.facts.flatMap(f => f.sources))
  const options = []
  for (const field of rest) {
    const memories = byField.get(field.path.join('.')) ?? []
    options.push({ field, options: await isOwners(field, memories, deps) ? fieldCandidates(field, context, memories, deps.ownerName, deps.turnBefore, factSources).slice(0, choices(field)) : [] })
  }
  if (deps.llm?.capabilities.structured === true && rest.length > 0) {
    const memories = dedupe([...byField.values()].flat())
    try {
      for (const [k, v] of await fillWithModel(deps.llm, options, memories, context, deps.maxMemoryChars ?? 4000, deps.signal)) found.set(k, v)
      mode = 'model'
    } catch (err) {
      if (!(err instanceof ModelError)) throw err
    }
  }
  if (mode === 'extractive') {
    for (const { field, options: values } of options) if (values[0] !== undefined) found.set(field.path.join('.'), values[0])
  }
  return assemble(schema, shape.fields, shape.unsupported, found, mode, deps.facts ?? [])
}

/** The owner's fact drawn from the value's memory that says most of the value: the value's citation. */
function citedFact (facts: readonly Fact[], hit: Found): string | undefined {
  const value = terms(String(hit.value))
  const said = (f: Fact): number => overlap(value, f.text)
  return facts.filter(f => f.sources.includes(hit.memoryId)).sort((a, b) => said(b) - said(a))[0]?.id
}

function assemble (schema: unknown, fields: readonly FormField[], unsupported: string[], found: Map<string, Found>, mode: AutofillResult['mode'], facts: readonly Fact[]): AutofillResult {
  const value: Record<string, unknown> = {}
  const filled: AutofillResult['filled'] = []
  const empty: string[] = []
  for (const f of fields) {
    const key = f.path.join('.')
    const hit = found.get(key)
    if (hit === undefined) { empty.push(key); continue }
    setPath(value, f.path, hit.value)
    const fact = citedFact(facts, hit)
    filled.push({ field: key, value: hit.value, source: hit.memoryId, ...(fact === undefined ? {} : { fact }) })
  }
  // A value the schema rejects (pattern, range …) is removed rather than reshaped into something else.
  for (const item of [...filled]) {
    const probe: Record<string, unknown> = {}
    setPath(probe, item.field.split('.'), item.value)
    if (!validate(partialSchema(schema), probe).valid) {
      filled.splice(filled.indexOf(item), 1)
      empty.push(item.field)
      removePath(value, item.field.split('.'))
    }
  }
  const partial = validate(partialSchema(schema), value)
  const full = validate(schema, value)
  return { value, mode, filled, empty: [...empty, ...unsupported], valid: partial.valid, complete: full.valid, errors: full.errors }
}

function removePath (target: Record<string, unknown>, path: readonly string[]): void {
  let node: unknown = target
  for (const key of path.slice(0, -1)) node = (node as Record<string, unknown>)[key]
  const last = path.at(-1)
  if (last !== undefined && node !== null && typeof node === 'object') Reflect.deleteProperty(node, last)
}

function dedupe (memories: readonly ScopedMemory[]): ScopedMemory[] {
  const seen = new Set<string>()
  return memories.filter(m => !seen.has(m.id) && seen.add(m.id) !== undefined)
}
