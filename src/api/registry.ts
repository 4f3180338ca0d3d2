import { z } from 'zod'
import { SecondMeError, InputError, InternalError, NetworkError } from '../errors.js'
import { errText, log } from '../log.js'
import type { SecondMe } from '../node.js'
import type { AnyOp, OpContext } from './op.js'

// A typed registry over a list of ops. Two lists exist: the core ops (api/index.ts), which the
// simulator drives its nodes with, and every op a door publishes (src/ops.ts: core + simulate).
// Keeping the simulator's op out of the core list is what keeps api → sim one-way.

// Schemas looked up by name in a map (not `Extract<R, { name: N }>`, which spreads over the union):
// `ParamsIn<R, N>` stays one type for a generic N, so a caller generic in N can pass params on to `call`.
type ParamSchemas<R extends AnyOp> = { [O in R as O['name']]: O['params'] }
type ResultSchemas<R extends AnyOp> = { [O in R as O['name']]: O['result'] }
/** What a caller passes (defaults may be left out). */
export type ParamsIn<R extends AnyOp, N extends R['name']> = z.input<ParamSchemas<R>[N]>
/** What the op returns (and what travels as JSON through every door). */
export type ResultIn<R extends AnyOp, N extends R['name']> = z.output<ResultSchemas<R>[N]>
/**
 * Params as a door forwards user text (CLI flags): the shape is checked by the type checker, while
 * enum values stay plain strings that the op's schema checks at run time (E_BAD_INPUT, as for any
 * caller).
 */
export type Loose<T> = T extends string ? string
  : T extends ReadonlyArray<infer U> ? Array<Loose<U>>
    : T extends object ? { [K in keyof T]: Loose<T[K]> } : T

export interface Registry<R extends AnyOp> {
  /** Every op, in registry order: the list a door publishes. */
  readonly ops: readonly R[]
  find: (name: string) => AnyOp | undefined
  /**
   * Validate params with the op's schema, then run it: the single entry every door uses for an op
   * named at run time (a control-channel request, an HTTP path). Typed code calls `call` instead.
   */
  run: (me: SecondMe, name: string, params: unknown, ctx?: OpContext) => Promise<unknown>
  /** `run` with the op's types: `await call(me, 'recall', { query })` is the recall result. */
  call: <N extends R['name']>(me: SecondMe, name: N, params: ParamsIn<R, N>, ctx?: OpContext) => Promise<ResultIn<R, N>>
}

export function registry<const Ops extends readonly AnyOp[]> (ops: Ops): Registry<Ops[number]> {
  const byName = new Map<string, AnyOp>(ops.map(op => [op.name, op]))
  const run = async (me: SecondMe, name: string, params: unknown, ctx: OpContext = {}): Promise<unknown> => {
    const op = byName.get(name)
    if (op === undefined) throw new InputError('E_USAGE', `unknown operation "${name}"`)
    return await runChecked(op, me, params, ctx)
  }
  async function call<N extends Ops[number]['name']> (me: SecondMe, name: N, params: ParamsIn<Ops[number], N>, ctx: OpContext = {}): Promise<ResultIn<Ops[number], N>> {
    // run ran the op named N, whose `run` is declared to return ResultIn<R, N>.
    return await run(me, name, params, ctx) as ResultIn<Ops[number], N>
  }
  return {
    ops,
    find: name => byName.get(name),
    run,
    call
  }
}

const logOps = log('api')

async function runChecked (op: AnyOp, me: SecondMe, params: unknown, ctx: OpContext): Promise<unknown> {
  const started = performance.now()
  try {
    const result = await runValidated(op, me, params, ctx)
    logOps('%s ok in %d ms', op.name, Math.round(performance.now() - started))
    return result
  } catch (err) {
    // The op name and the code only: params and messages may carry memory text or a grant.
    logOps('%s failed in %d ms: %s', op.name, Math.round(performance.now() - started), errText(err))
    throw err
  }
}

async function runValidated (op: AnyOp, me: SecondMe, params: unknown, ctx: OpContext): Promise<unknown> {
  const parsed = op.params.safeParse(params)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `
    throw new InputError('E_BAD_INPUT', `${op.name}: ${where}${issue?.message ?? 'invalid parameters'}`)
  }
  if (op.needsNetwork === true && me.net?.running !== true) throw new NetworkError('E_NODE_NOT_RUNNING', 'the node is not running (start it with `secondme start`)')
  // The op's own schema produced these params, so they have the type its `run` expects.
  const run = op.run as (me: SecondMe, params: unknown, ctx: OpContext) => Promise<unknown>
  try {
    return await run(me, parsed.data, ctx)
  } catch (err) {
    if (err instanceof SecondMeError) throw err
    throw new InternalError(`${op.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
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
