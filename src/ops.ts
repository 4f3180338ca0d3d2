import type { SecondMe } from './node.js'
import { CORE_OPS } from './api/index.js'
import type { AnyOp, OpContext } from './api/op.js'
import { registry, type Loose, type ParamsIn, type ResultIn } from './api/registry.js'
import { simOps } from './sim/op.js'

// Every op a door publishes (CLI, control channel, HTTP /api, MCP, tests): the core ops and the
// simulator's. This module sits above both, so neither imports the other's registry.

export type { AnyOp, OpContext, ProgressEvent } from './api/op.js'
export { describeOp } from './api/registry.js'

export const ALL_OPS = [...CORE_OPS, ...simOps] as const

type Registered = typeof ALL_OPS[number]
/** The name of every registered op. */
export type OpName = Registered['name']
/** What a caller passes (defaults may be left out). */
export type ParamsOf<N extends OpName> = ParamsIn<Registered, N>
/** Params as a door forwards user text (see `Loose` in api/registry.ts). */
export type UserParamsOf<N extends OpName> = Loose<ParamsOf<N>>
/** What the op returns (and what travels as JSON through every door). */
export type ResultOf<N extends OpName> = ResultIn<Registered, N>

const all = registry(ALL_OPS)
export const findOp = all.find
/** Validate params with the op's schema, then run it (an op named at run time). */
export const runOp = all.run

/** Every op, in registry order: the list a door publishes. */
export function listOps (): readonly AnyOp[] {
  return ALL_OPS
}

/** `runOp` with the op's types: `await call(me, 'recall', { query })` is the recall result. */
export async function call<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>, ctx: OpContext = {}): Promise<ResultOf<N>> {
  // run ran the op named N, whose `run` is declared to return ResultOf<N>.
  return await all.run(me, name, params, ctx) as ResultOf<N>
}
