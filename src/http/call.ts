import { runOp, type OpContext } from '../ops.js'
import { NetworkError } from '../errors.js'
import type { SecondMe } from '../node.js'

/** How a door runs an op: the registry's `runOp`, bounded by a deadline and the caller's abort. */
export type OpCaller = (name: string, params: unknown, ctx?: OpContext) => Promise<unknown>

/**
 * `runOp` with a deadline: the op's signal aborts at `timeoutMs` (or when the caller goes away),
 * and the answer is E_TIMEOUT even if the op does not watch its signal.
 */
export function deadlineCaller (me: SecondMe, timeoutMs: number): OpCaller {
  return async (name, params, ctx = {}) => {
    const controller = new AbortController()
    // The error is made only when the deadline passes: an Error captures a stack trace, which cost
    // about 3% of a recall over HTTP when it was built for every call (bench:http profile).
    const timer = setTimeout(() => { controller.abort(new NetworkError('E_TIMEOUT', `${name} did not finish within ${timeoutMs} ms`)) }, timeoutMs)
    const outer = ctx.signal
    const onOuter = (): void => { controller.abort(outer?.reason) }
    if (outer?.aborted === true) onOuter()
    else outer?.addEventListener('abort', onOuter, { once: true })
    const aborted = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener('abort', () => { reject(controller.signal.reason) }, { once: true })
    })
    try {
      return await Promise.race([runOp(me, name, params, { ...ctx, signal: controller.signal }), aborted])
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuter)
    }
  }
}
