import { Ajv, type ErrorObject } from 'ajv'
import { InputError } from '../../errors.js'
import { identifierWords } from '../../util/text.js'
import type { JsonSchema } from '../../model/llm.js'

export type FieldType = 'string' | 'number' | 'integer' | 'boolean'

/** A leaf of a form: one value to fill, addressed by its path (e.g. ['address', 'city']). */
export interface FormField {
  path: string[]
  type: FieldType
  title?: string
  description?: string
  enum?: Array<string | number>
  format?: string
  maxLength?: number
}

export interface FormShape {
  fields: FormField[]
  /** Paths (dotted) of parts we do not fill (arrays, unions, $ref …): always left empty and listed. */
  unsupported: string[]
}

function newAjv (): Ajv {
  return new Ajv({ allErrors: false, strict: false, validateFormats: false })
}

/** The schema must itself be valid JSON Schema describing an object; anything else is E_MALFORMED_FILE. */
export function checkFormSchema (schema: unknown): JsonSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new InputError('E_MALFORMED_FILE', 'the form schema must be a JSON object')
  try {
    newAjv().compile(schema)
  } catch (err) {
    throw new InputError('E_MALFORMED_FILE', `not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  const s = schema as JsonSchema
  if (s.type !== 'object' || typeof s.properties !== 'object' || s.properties === null) {
    throw new InputError('E_MALFORMED_FILE', 'the form schema must describe an object with "properties"')
  }
  return s
}

/** Leaf fields of an object schema, nested objects flattened to paths. */
export function formShape (schema: JsonSchema, prefix: string[] = []): FormShape {
  const fields: FormField[] = []
  const unsupported: string[] = []
  for (const [name, raw] of Object.entries(schema.properties as Record<string, unknown>)) {
    const node = (raw ?? {}) as JsonSchema
    const path = [...prefix, name]
    if (node.type === 'object' && typeof node.properties === 'object') {
      const inner = formShape(node, path)
      fields.push(...inner.fields)
      unsupported.push(...inner.unsupported)
    } else if (typeof node.type === 'string' && ['string', 'number', 'integer', 'boolean'].includes(node.type)) {
      fields.push({
        path,
        type: node.type as FieldType,
        ...(typeof node.title === 'string' ? { title: node.title } : {}),
        ...(typeof node.description === 'string' ? { description: node.description } : {}),
        ...(Array.isArray(node.enum) ? { enum: node.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') } : {}),
        ...(typeof node.format === 'string' ? { format: node.format } : {}),
        ...(typeof node.maxLength === 'number' ? { maxLength: node.maxLength } : {})
      })
    } else {
      unsupported.push(path.join('.'))
    }
  }
  return { fields, unsupported }
}

/** The schema with every `required` list removed: what a partly filled (never invented) form must match. */
export function partialSchema (schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(partialSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema)) if (k !== 'required') out[k] = partialSchema(v)
  return out
}

export interface Validation { valid: boolean, errors: string[] }

export function validate (schema: unknown, value: unknown): Validation {
  const check = newAjv().compile(schema as object)
  const valid = check(value)
  return { valid, errors: (check.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`) }
}

export function fieldLabel (field: FormField): string {
  return [field.title, identifierWords(field.path.join(' ')), field.description].filter(s => s !== undefined && s !== '').join(' — ')
}

export function setPath (target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (next === null || typeof next !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  const last = path.at(-1)
  if (last !== undefined) node[last] = value
}
