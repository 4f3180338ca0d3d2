import { describe, expect, it } from 'vitest'
import type { SimSummary } from '../../src/sim/report.js'
import { formatSweep } from '../../src/sim/sweep.js'

function summary (nodes: number, seconds: number, cpu: number, mib: number): SimSummary {
  return {
    nodes,
    durationMs: seconds * 1000,
    startupMs: seconds * 500,
    lookups: { total: 10, ok: 10, success: 1, successNoChurn: 1, successDuringChurn: 0.99, p50Ms: 300, p95Ms: 900 },
    checks: {},
    adversarial: { total: 27, refused: 27, rate: 1 },
    leaks: 0,
    stalled: 0,
    messages: 0,
    bytes: 0,
    rssPerNodeMiB: mib,
    cpuSeconds: cpu,
    loadAverage: [1.5, 1.25, 1],
    ok: true
  }
}

describe('formatSweep', () => {
  it('prints one row per size and the growth from each size to the next', () => {
    const text = formatSweep([summary(10, 20, 18, 12), summary(25, 50, 45, 11), summary(50, 100, 90, 10)])
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^nodes\s+time s\s+CPU s/)
    expect(lines[1]).toMatch(/^10\s+20\.0\s+18\s/)
    expect(lines[2]).toContain('99.0%')
    expect(lines[2]).toContain('1.50 1.25 1.00')
    expect(text).toContain('10 -> 25 nodes (x2.50): time x2.50, CPU x2.50 (per node x1.00), RSS per node 12 -> 11 MiB')
    expect(text).toContain('25 -> 50 nodes (x2.00): time x2.00, CPU x2.00 (per node x1.00), RSS per node 11 -> 10 MiB')
  })

  it('prints no growth section for a single size', () => {
    expect(formatSweep([summary(10, 20, 18, 12)])).not.toContain('growth')
  })
})
