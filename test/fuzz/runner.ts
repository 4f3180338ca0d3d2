import fc from 'fast-check'
import { ErrorCodes, isSecondMeError } from '../../src/errors.js'
import type { FuzzTarget } from './targets.js'

/** A case slower than this counts as a hang. */
export const HANG_MS = 10_000

export interface FuzzResult {
  name: string
  cases: number
  accepted: number
  /** Acceptances judged by the target's check: same signed content as an original, well-formed items… */
  checked: number
  checkLabel?: string
  /** Acceptances the check refused: a changed signed content got through. */
  falseAccepts: number
  rejected: Record<string, number>
  crashes: number
  hangs: number
  maxMs: number
  ms: number
  /** The shrunk failing input and what happened, if any. */
  failure?: string
}

type Outcome = { kind: 'accepted' } | { kind: 'false-accept', what: string } | { kind: 'rejected', code: string } | { kind: 'crash', what: string } | { kind: 'hang' }

async function classify (target: FuzzTarget, input: unknown): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<Outcome>(resolve => { timer = setTimeout(() => { resolve({ kind: 'hang' }) }, target.hangMs ?? HANG_MS) })
  const run = target.run(input).then(
    (output: unknown): Outcome => {
      const wrong = target.check?.(output)
      return wrong === undefined ? { kind: 'accepted' } : { kind: 'false-accept', what: wrong }
    },
    (err: unknown): Outcome => isSecondMeError(err) && Object.hasOwn(ErrorCodes, err.code) && err.code !== 'E_INTERNAL'
      ? { kind: 'rejected', code: err.code }
      : { kind: 'crash', what: err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err) })
  try {
    return await Promise.race([run, hang])
  } finally {
    clearTimeout(timer)
  }
}

/** Run `cases` inputs through one target; a crash or hang stops it with the shrunk input. */
export async function fuzzTarget (target: FuzzTarget, asked: number, seed: number): Promise<FuzzResult> {
  const cases = Math.min(asked, target.maxCases ?? asked)
  await target.warmup?.().catch(() => {})
  const result: FuzzResult = { name: target.name, ...(target.checkLabel === undefined ? {} : { checkLabel: target.checkLabel }), cases: 0, accepted: 0, checked: 0, falseAccepts: 0, rejected: {}, crashes: 0, hangs: 0, maxMs: 0, ms: 0 }
  const start = performance.now()
  let last = ''
  const property = fc.asyncProperty(target.input, async (input) => {
    const t0 = performance.now()
    const outcome = await classify(target, input)
    result.maxMs = Math.max(result.maxMs, performance.now() - t0)
    result.cases++
    if (outcome.kind === 'accepted') {
      result.accepted++
      if (target.check !== undefined) result.checked++
    } else if (outcome.kind === 'false-accept') { result.accepted++; result.falseAccepts++; last = outcome.what }
    else if (outcome.kind === 'rejected') result.rejected[outcome.code] = (result.rejected[outcome.code] ?? 0) + 1
    else if (outcome.kind === 'hang') { result.hangs++; last = 'hang' }
    else { result.crashes++; last = outcome.what }
    return outcome.kind === 'accepted' || outcome.kind === 'rejected'
  })
  const details = await fc.check(property, { numRuns: cases, seed, endOnFailure: true })
  if (details.failed) result.failure = `${last} on ${fc.stringify(details.counterexample).slice(0, 300)}`
  result.ms = performance.now() - start
  return result
}

export function formatResult (r: FuzzResult): string {
  const codes = Object.entries(r.rejected).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')
  const checked = r.checked + r.falseAccepts > 0 ? ` (${r.checked} ${r.checkLabel ?? 'checked'}, ${r.falseAccepts} wrong)` : ''
  return `${r.name.padEnd(52)} ${String(r.cases).padStart(7)} cases  accepted ${String(r.accepted).padStart(6)}${checked}  crashes ${r.crashes}  hangs ${r.hangs}  max ${r.maxMs.toFixed(1)} ms  ${(r.ms / 1000).toFixed(1)} s  rejected: ${codes}${r.failure === undefined ? '' : `\n  FAILURE: ${r.failure}`}`
}
