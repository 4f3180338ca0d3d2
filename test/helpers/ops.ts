import { expect } from 'vitest'
import { call, findOp, type OpContext, type OpName, type ParamsOf, type ResultOf } from '../../src/ops.js'
import type { SecondMe } from '../../src/node.js'

/**
 * The op's actual result, as it travels through a door (JSON), must validate against the op's
 * result schema and keep every field: a field the schema does not describe would be stripped by
 * parsing, and would be missing from the OpenAPI/MCP schemas built from it.
 */
export function expectResult (name: OpName, value: unknown): void {
  const op = findOp(name)
  if (op === undefined) throw new Error(`no op ${name}`)
  const wire: unknown = JSON.parse(JSON.stringify(value ?? null))
  const parsed = op.result.safeParse(wire)
  expect(parsed.error?.issues ?? [], `${name}: result does not match its schema`).toEqual([])
  expect(parsed.data, `${name}: result has fields its schema does not describe`).toEqual(wire)
}

/** `call`, with the result checked against the op's result schema (see test/api/results.test.ts). */
export async function checkedCall<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>, ctx?: OpContext): Promise<ResultOf<N>> {
  const result = await call(me, name, params, ctx)
  expectResult(name, result)
  return result
}
