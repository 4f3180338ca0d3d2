import { SecondMeError } from '../../errors.js'
import type { AuditSink, GrantAction } from '../ports.js'
import { errText, log } from '../../log.js'

const logAudit = log('net:audit')

/**
 * Run a handler and record its outcome: the item ids it disclosed, or the code it refused with.
 * A disclosure is answered only once its entry is durable (fsynced and anchored). A refusal
 * discloses nothing, so its answer does not wait for the disk: the entry joins the next group
 * commit (the node flushes the log before it closes). Otherwise a flood of refused requests would
 * be paced by fsyncs, and its quota would refill faster than it is spent.
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
    audit?.append({ kind: 'refuse', ...where, code }).catch((e: unknown) => { logAudit.error('refusal of %s on %s not audited: %s', where.peer, where.protocol, errText(e)) })
    throw err
  }
  await audit?.append({ kind: 'disclose', ...where, items: outcome.disclosed })
  return outcome.result
}
