import { z } from 'zod'
import { SecondMeError, InputError, InternalError, NetworkError } from '../errors.js'
import type { SecondMe } from '../node.js'
import { coreOps } from './core.js'
import { netOps } from './net.js'
import { modelOps } from './model.js'
import { memoryOps } from './memory.js'
import { policyOps } from './policy.js'
import { simOps } from './sim.js'
import { doorOps } from './doors.js'
import type { AnyOp, OpContext } from './op.js'

export type { Op, AnyOp, OpContext, ProgressEvent } from './op.js'
export { defineOp } from './op.js'

// Every area appends its ops here (one import and one spread each). Each area's list is `as const`
// so the registry knows every op's name, params and result types.
export const ALL_OPS = [
  ...coreOps,
  ...netOps,
  ...modelOps,
  ...memoryOps,
  ...policyOps,
  ...simOps,
  ...doorOps
] as const

type Registered = typeof ALL_OPS[number]
/** The name of every registered op. */
export type OpName = Registered['name']
export type OpNamed<N extends OpName> = Extract<Registered, { name: N }>
/** What a caller passes (defaults may be left out). */
export type ParamsOf<N extends OpName> = z.input<OpNamed<N>['params']>
/**
 * Params as a door forwards user text (CLI flags): the shape is checked by the type checker, while
 * enum values stay plain strings that the op's schema checks at run time (E_BAD_INPUT, as for any
 * caller).
 */
export type UserParamsOf<N extends OpName> = Loose<ParamsOf<N>>
type Loose<T> = T extends string ? string
  : T extends ReadonlyArray<infer U> ? Array<Loose<U>>
    : T extends object ? { [K in keyof T]: Loose<T[K]> } : T
/** What the op returns (and what travels as JSON through every door). */
export type ResultOf<N extends OpName> = z.output<OpNamed<N>['result']>

const BY_NAME = new Map<string, AnyOp>(ALL_OPS.map(op => [op.name, op]))

export function findOp (name: string): AnyOp | undefined {
  return BY_NAME.get(name)
}

/** Every op, in registry order: the list a door publishes. */
export function listOps (): readonly AnyOp[] {
  return ALL_OPS
}

export interface OpDescription {
  name: string
  summary: string
  /** JSON Schema (draft 2020-12) of what a caller sends (fields with defaults are optional). */
  params: Record<string, unknown>
  /** JSON Schema (draft 2020-12) of what the op returns. */
  result: Record<string, unknown>
}

/** An op's params and result as JSON Schema, for doors that publish them (OpenAPI, MCP). */
export function describeOp (op: AnyOp): OpDescription {
  return {
    name: op.name,
    summary: op.summary,
    params: z.toJSONSchema(op.params, { io: 'input', unrepresentable: 'any' }),
    result: z.toJSONSchema(op.result, { io: 'output', unrepresentable: 'any' })
  }
}

/**
 * Validate params with the op's schema, then run it: the single entry every door uses for an op
 * named at run time (a control-channel request, an HTTP path). Typed code calls `call` instead.
 */
export async function runOp (me: SecondMe, name: string, params: unknown, ctx: OpContext = {}): Promise<unknown> {
  const op = BY_NAME.get(name)
  if (op === undefined) throw new InputError('E_USAGE', `unknown operation "${name}"`)
  const parsed = op.params.safeParse(params)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `
    throw new InputError('E_BAD_INPUT', `${name}: ${where}${issue?.message ?? 'invalid parameters'}`)
  }
  if (op.needsNetwork === true && me.net?.running !== true) throw new NetworkError('E_NODE_NOT_RUNNING', 'the node is not running (start it with `secondme start`)')
  // The op's own schema produced these params, so they have the type its `run` expects.
  const run = op.run as (me: SecondMe, params: unknown, ctx: OpContext) => Promise<unknown>
  try {
    return await run(me, parsed.data, ctx)
  } catch (err) {
    if (err instanceof SecondMeError) throw err
    throw new InternalError(`${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}

/** `runOp` with the op's types: `await call(me, 'recall', { query })` is the recall result. */
export async function call<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>, ctx: OpContext = {}): Promise<ResultOf<N>> {
  // runOp ran the op named N, whose `run` is declared to return ResultOf<N>.
  return await runOp(me, name, params, ctx) as ResultOf<N>
}
