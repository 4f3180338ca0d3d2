import { call as callOp, type OpName, type ParamsOf, type ResultOf } from '../api/index.js'
import type { ProgressEvent } from '../progress.js'
import type { SecondMe } from '../node.js'
import { NetworkError, SecondMeError } from '../errors.js'
import { deadline } from '../net/deadline.js'
import type { Cluster } from './cluster.js'
import type { LeakDetector } from './leaks.js'
import { jsonBytes, type Metrics } from './metrics.js'
import type { Plan } from './plan.js'

/** What the simulator knows about one introduction pair while the run goes on. */
export interface PairState {
  status: 'none' | 'granted' | 'pending' | 'refused' | 'counter' | 'failed'
  ticket?: string
  code?: string
  /** Id of the grant the target issued (for revocation). */
  grantId?: string
  revoked?: boolean
}

export interface RunContext {
  cluster: Cluster
  plan: Plan
  metrics: Metrics
  leaks: LeakDetector
  pairs: PairState[]
  timeoutMs: number
  concurrency: number
  onProgress?: (event: ProgressEvent) => void
}

/** A core op on a simulated node, through the registry every door uses (validation and all). */
export async function runCoreOp<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>, signal?: AbortSignal): Promise<ResultOf<N>> {
  return await callOp(me, name, params, signal === undefined ? {} : { signal })
}

/** How long past its deadline an operation that ignores its abort signal is still waited for. */
const GRACE_MS = 5_000

/**
 * Run `fn` with a signal that aborts after `ms`. An operation that does not stop when its signal
 * aborts is given up on `GRACE_MS` later and recorded as stalled: one stuck libp2p call must show
 * up as a failed request in the report, never as a simulation that waits forever.
 */
export async function bounded<T> (metrics: Metrics, label: string, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const d = deadline(ms, undefined, () => new DOMException(`${label}: no answer in ${ms} ms`, 'TimeoutError'))
  let giveUp: NodeJS.Timeout | undefined
  const stalled = new Promise<never>((_resolve, reject) => {
    giveUp = setTimeout(() => {
      metrics.stalled(label)
      reject(new NetworkError('E_TIMEOUT', `${label} did not stop ${GRACE_MS} ms after its deadline`))
    }, ms + GRACE_MS)
  })
  try {
    return await Promise.race([fn(d.signal), stalled])
  } finally {
    d.clear()
    clearTimeout(giveUp)
  }
}

export type CallOutcome<T> = { ok: true, value: T } | { ok: false, code: string, message: string }

/**
 * Run an op on node `index` as every door does (runOp), count its traffic under `protocol`, and
 * scan what came back for canaries at the receiving side.
 */
export async function call<N extends OpName> (ctx: RunContext, index: number, op: N, params: ParamsOf<N>, protocol: string): Promise<CallOutcome<ResultOf<N>>> {
  const me = ctx.cluster.nodes[index]?.me
  if (me === undefined) return { ok: false, code: 'E_NODE_NOT_RUNNING', message: `node ${index} is stopped` }
  try {
    const value = await bounded(ctx.metrics, op, ctx.timeoutMs, async (signal) => await runCoreOp(me, op, params, signal))
    ctx.metrics.request(protocol, 'ok', jsonBytes(params), jsonBytes(value))
    ctx.leaks.scan(index, `${op} answer`, value)
    return { ok: true, value }
  } catch (err) {
    const code = err instanceof SecondMeError ? err.code : 'E_INTERNAL'
    const message = err instanceof Error ? err.message : String(err)
    ctx.metrics.request(protocol, isRefusal(code) ? 'refused' : 'failed', jsonBytes(params), jsonBytes(message))
    ctx.leaks.scan(index, `${op} error`, message)
    return { ok: false, code, message }
  }
}

export function isRefusal (code: string): boolean {
  return code.startsWith('E_GRANT_') || ['E_DENIED', 'E_CONSENT_PENDING', 'E_RATE_LIMITED', 'E_BAD_MESSAGE', 'E_FRAME_TOO_LARGE', 'E_UNSUPPORTED_VERSION'].includes(code)
}

/** Run `work` over `items` with at most `limit` in flight, reporting progress. */
export async function pool<T> (items: readonly T[], limit: number, work: (item: T, i: number) => Promise<void>, progress?: { ctx: RunContext, phase: string }): Promise<void> {
  let next = 0
  let done = 0
  const report = (): void => { progress?.ctx.onProgress?.({ phase: progress.phase, done, total: items.length }) }
  report()
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      await work(items[i] as T, i)
      done++
      report()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
