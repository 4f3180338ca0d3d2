import type { SecondMe } from '../node.js'
import { coreOps } from './core.js'
import { netOps } from './net.js'
import { modelOps } from './model.js'
import { memoryOps } from './memory.js'
import { policyOps } from './policy.js'
import { doorOps } from './doors.js'
import type { OpContext } from './op.js'
import { registry, type Loose, type OpIn, type ParamsIn, type ResultIn } from './registry.js'

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

type Registered = typeof CORE_OPS[number]
/** The name of every core op. */
export type OpName = Registered['name']
export type OpNamed<N extends OpName> = OpIn<Registered, N>
export type ParamsOf<N extends OpName> = ParamsIn<Registered, N>
export type UserParamsOf<N extends OpName> = Loose<ParamsOf<N>>
export type ResultOf<N extends OpName> = ResultIn<Registered, N>

const core = registry(CORE_OPS)
export const findOp = core.find
export const runOp = core.run

/** `runOp` with the op's types: `await call(me, 'recall', { query })` is the recall result. */
export async function call<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>, ctx: OpContext = {}): Promise<ResultOf<N>> {
  // run ran the op named N, whose `run` is declared to return ResultOf<N>.
  return await core.run(me, name, params, ctx) as ResultOf<N>
}
