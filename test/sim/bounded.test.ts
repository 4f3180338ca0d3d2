import { describe, expect, it } from 'vitest'
import { bounded } from '../../src/sim/context.js'
import { Metrics } from '../../src/sim/metrics.js'

describe('bounded: an operation cannot hold a simulation forever', () => {
  it('passes a signal that aborts at the deadline; an operation that stops is not a stall', async () => {
    const metrics = new Metrics()
    const stopsOnAbort = async (signal: AbortSignal): Promise<string> => await new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => { reject(signal.reason as Error) }, { once: true })
    })
    await expect(bounded(metrics, 'polite', 20, stopsOnAbort)).rejects.toThrow(/no answer in 20 ms/)
    expect(metrics.stalls.size).toBe(0)
  })

  it('gives up on an operation that ignores its deadline and records it as stalled', async () => {
    const metrics = new Metrics()
    const ignoresAbort = async (): Promise<string> => await new Promise(() => {})
    const started = performance.now()
    await expect(bounded(metrics, 'stuck', 20, ignoresAbort)).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    // The grace period after the deadline is waited for, then no longer.
    expect(performance.now() - started).toBeGreaterThanOrEqual(20)
    expect(metrics.stalls.get('stuck')).toBe(1)
  }, 15_000)

  it('returns the value of an operation that finishes in time', async () => {
    const metrics = new Metrics()
    await expect(bounded(metrics, 'quick', 1_000, async () => 42)).resolves.toBe(42)
    expect(metrics.stalls.size).toBe(0)
  })
})
