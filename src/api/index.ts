import { SecondMeError, InputError } from '../errors.js'
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

// Every area appends its ops here (one import and one spread each).
export const ALL_OPS: readonly AnyOp[] = [
  ...coreOps,
  ...netOps,
  ...modelOps,
  ...memoryOps,
  ...policyOps,
  ...simOps,
  ...doorOps
]

const BY_NAME = new Map(ALL_OPS.map(op => [op.name, op]))

export function findOp (name: string): AnyOp | undefined {
  return BY_NAME.get(name)
}

/** Validate params with the op's schema, then run it: the single entry every door uses. */
export async function runOp (me: SecondMe, name: string, params: unknown, ctx: OpContext = {}): Promise<unknown> {
  const op = BY_NAME.get(name)
  if (op === undefined) throw new InputError('E_USAGE', `unknown operation "${name}"`)
  const parsed = op.params.safeParse(params)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `
    throw new InputError('E_BAD_INPUT', `${name}: ${where}${issue?.message ?? 'invalid parameters'}`)
  }
  try {
    return await op.run(me, parsed.data, ctx)
  } catch (err) {
    if (err instanceof SecondMeError) throw err
    throw new SecondMeError('E_INTERNAL', `${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}
