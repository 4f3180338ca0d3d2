import { call, runOp, type OpContext, type OpName, type ParamsOf, type ResultOf } from '../ops.js'
import { NetworkError, StorageError } from '../errors.js'
import type { SecondMe } from '../node.js'

/** How a door runs an op named at run time (an HTTP path, an MCP tool): the registry's `runOp`, bounded. */
export type OpCaller = (name: string, params: unknown, ctx?: OpContext) => Promise<unknown>
/** The same with the op's types, for a door that names its op in code (the OpenAI routes). */
export type TypedOpCaller = <N extends OpName>(name: N, params: ParamsOf<N>, ctx?: OpContext) => Promise<ResultOf<N>>

export interface DeadlineCallers {
  run: OpCaller
  call: TypedOpCaller
  /**
   * Abort every running op (E_CLOSED) and wait until they have ended, at most `graceMs`; ops
   * called afterwards fail with E_CLOSED. An op that ignores its signal is waited for, not killed.
   */
  close: (graceMs: number) => Promise<void>
}

/**
 * `runOp` and `call` with a deadline: the op's signal aborts at `timeoutMs` (or when the caller goes
 * away), and the answer is E_TIMEOUT even if the op does not watch its signal.
 */
export function deadlineCallers (me: SecondMe, timeoutMs: number): DeadlineCallers {
  const running = new Map<Promise<unknown>, AbortController>()
  let closed = false
  const track = async <T>(name: string, ctx: OpContext, run: (ctx: OpContext) => Promise<T>): Promise<T> => {
    if (closed) throw new StorageError('E_CLOSED', 'the HTTP server is closing')
    const controller = new AbortController()
    return await withDeadline(name, timeoutMs, ctx, controller, run, op => {
      // The op is tracked until it really ends, which may be after its caller got E_TIMEOUT.
      const settled = op.then(() => {}, () => {}).finally(() => { running.delete(settled) })
      running.set(settled, controller)
    })
  }
  return {
    run: async (name, params, ctx = {}) => await track(name, ctx, async c => await runOp(me, name, params, c)),
    call: async (name, params, ctx = {}) => await track(name, ctx, async c => await call(me, name, params, c)),
    close: async (graceMs) => {
      closed = true
      for (const controller of running.values()) controller.abort(new StorageError('E_CLOSED', 'the HTTP server is closing'))
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>(resolve => { timer = setTimeout(resolve, graceMs) })
      await Promise.race([Promise.all(running.keys()), grace])
      clearTimeout(timer)
    }
  }
}

async function withDeadline<T> (name: string, timeoutMs: number, ctx: OpContext, controller: AbortController,
  run: (ctx: OpContext) => Promise<T>, started: (op: Promise<T>) => void): Promise<T> {
  // The error is made only when the deadline passes: an Error captures a stack trace, which cost
  // about 3% of a recall over HTTP when it was built for every call (bench:http profile).
  const timer = setTimeout(() => { controller.abort(new NetworkError('E_TIMEOUT', `${name} did not finish within ${timeoutMs} ms`)) }, timeoutMs)
  const outer = ctx.signal
  const onOuter = (): void => { controller.abort(outer?.reason) }
  if (outer?.aborted === true) onOuter()
  else outer?.addEventListener('abort', onOuter, { once: true })
  const aborted = new Promise<never>((_resolve, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason)
    controller.signal.addEventListener('abort', () => { reject(controller.signal.reason) }, { once: true })
  })
  const op = run({ ...ctx, signal: controller.signal })
  started(op)
  try {
    return await Promise.race([op, aborted])
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuter)
  }
}
