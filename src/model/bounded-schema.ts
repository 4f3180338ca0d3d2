import type { JsonSchema } from './llm.js'

/**
 * A copy of a JSON Schema where every string without a `maxLength` gets one. Grammar-constrained
 * decoding can otherwise stay inside one string until maxTokens runs out and never close the
 * object; bounding strings guarantees a finished, parseable value.
 */
export function boundStrings (schema: unknown, maxLength: number): JsonSchema {
  return bound(schema, maxLength) as JsonSchema
}

function bound (node: unknown, maxLength: number): unknown {
  if (Array.isArray(node)) return node.map(n => bound(n, maxLength))
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    // `properties` and `$defs` map names to schemas: recurse into each, keep the names.
    out[key] = key === 'properties' || key === '$defs' || key === 'definitions'
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, bound(v, maxLength)]))
      : key === 'enum' || key === 'const' ? value : bound(value, maxLength)
  }
  const types = Array.isArray(out.type) ? out.type : [out.type]
  if (types.includes('string') && out.maxLength === undefined && out.enum === undefined && out.const === undefined) out.maxLength = maxLength
  return out
}
