import { SecondMeError } from '../../errors.js'
import type { AuditSink, GrantAction } from '../ports.js'

/**
 * Run a handler and record its outcome: the item ids it disclosed, or the code it refused with.
 * The audit entry is written before the answer leaves the node.
 */
export async function audited<T> (
  audit: AuditSink | undefined,
  where: { peer: string, protocol: string, action: GrantAction },
  work: () => Promise<{ result: T, disclosed: string[] }>
): Promise<T> {
  let outcome
  try {
    outcome = await work()
  } catch (err) {
    const code = err instanceof SecondMeError ? err.code : 'E_INTERNAL'
    await audit?.append({ kind: 'refuse', ...where, code })
    throw err
  }
  await audit?.append({ kind: 'disclose', ...where, items: outcome.disclosed })
  return outcome.result
}
