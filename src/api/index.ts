import { coreOps } from './core.js'
import { netOps } from './net.js'
import { modelOps } from './model.js'
import { memoryOps } from './memory.js'
import { policyOps } from './policy.js'
import { doorOps } from './doors.js'
import { registry, type ParamsIn, type ResultIn } from './registry.js'

export type { Op, AnyOp, OpContext, ProgressEvent } from './op.js'
export { defineOp } from './op.js'
export { describeOp, type OpDescription } from './registry.js'

// The core ops: every op of the node itself. Every area appends its ops here (one import and one
// spread each). Each area's list is `as const` so the registry knows every op's name, params and
// result types. The simulator's op is not here: it drives nodes through these (src/ops.ts adds it
// for the doors).
export const CORE_OPS = [
  ...coreOps,
  ...netOps,
  ...modelOps,
  ...memoryOps,
  ...policyOps,
  ...doorOps
] as const

const core = registry(CORE_OPS)
// The registry's own op type, so `call`'s parameter types and these are one type.
type Registered = typeof core.ops[number]
/** The name of every core op. */
export type OpName = Registered['name']
export type ParamsOf<N extends OpName> = ParamsIn<Registered, N>
export type ResultOf<N extends OpName> = ResultIn<Registered, N>

/** findOp/runOp for an op named at run time; `call` typed (the registry's, see api/registry.ts). */
export const { find: findOp, run: runOp, call } = core
