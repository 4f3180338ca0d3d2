import { CORE_OPS } from './api/index.js'
import type { AnyOp } from './api/op.js'
import { registry, type Loose, type ParamsIn, type ResultIn } from './api/registry.js'
import { simOps } from './sim/op.js'

// Every op a door publishes (CLI, control channel, HTTP /api, MCP, tests): the core ops and the
// simulator's. This module sits above both, so neither imports the other's registry.

export type { AnyOp, OpContext, ProgressEvent } from './api/op.js'
export { describeOp } from './api/registry.js'

export const ALL_OPS = [...CORE_OPS, ...simOps] as const

const all = registry(ALL_OPS)
// The registry's own op type, so `call`'s parameter types and these are one type.
type Registered = typeof all.ops[number]
/** The name of every registered op. */
export type OpName = Registered['name']
/** What a caller passes (defaults may be left out). */
export type ParamsOf<N extends OpName> = ParamsIn<Registered, N>
/** Params as a door forwards user text (see `Loose` in api/registry.ts). */
export type UserParamsOf<N extends OpName> = Loose<ParamsOf<N>>
/** What the op returns (and what travels as JSON through every door). */
export type ResultOf<N extends OpName> = ResultIn<Registered, N>

/** findOp/runOp for an op named at run time; `call` typed (the registry's, see api/registry.ts). */
export const { find: findOp, run: runOp, call } = all

/** Every op, in registry order: the list a door publishes. */
export function listOps (): readonly AnyOp[] {
  return ALL_OPS
}
