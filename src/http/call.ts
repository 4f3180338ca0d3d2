import { call, runOp, type OpContext, type OpName, type ParamsOf, type ResultOf } from '../ops.js'
import { NetworkError } from '../errors.js'
import type { SecondMe } from '../node.js'

/** How a door runs an op named at run time (an HTTP path, an MCP tool): the registry's `runOp`, bounded. */
export type OpCaller = (name: string, params: unknown, ctx?: OpContext) => Promise<unknown>
/** The same with the op's types, for a door that names its op in code (the OpenAI routes). */
export type TypedOpCaller = <N extends OpName>(name: N, params: ParamsOf<N>, ctx?: OpContext) => Promise<ResultOf<N>>

/**
 * `runOp` and `call` with a deadline: the op's signal aborts at `timeoutMs` (or when the caller goes
 * away), and the answer is E_TIMEOUT even if the op does not watch its signal.
 */
export function deadlineCallers (me: SecondMe, timeoutMs: number): { run: OpCaller, call: TypedOpCaller } {
  return {
    run: async (name, params, ctx = {}) => await withDeadline(name, timeoutMs, ctx, async c => await runOp(me, name, params, c)),
    call: async (name, params, ctx = {}) => await withDeadline(name, timeoutMs, ctx, async c => await call(me, name, params, c))
  }
}

async function withDeadline<T> (name: string, timeoutMs: number, ctx: OpContext, run: (ctx: OpContext) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const timeout = new NetworkError('E_TIMEOUT', `${name} did not finish within ${timeoutMs} ms`)
  const timer = setTimeout(() => { controller.abort(timeout) }, timeoutMs)
  const outer = ctx.signal
  const onOuter = (): void => { controller.abort(outer?.reason) }
  if (outer?.aborted === true) onOuter()
  else outer?.addEventListener('abort', onOuter, { once: true })
  const aborted = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => { reject(controller.signal.reason) }, { once: true })
  })
  try {
    return await Promise.race([run({ ...ctx, signal: controller.signal }), aborted])
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuter)
  }
}
