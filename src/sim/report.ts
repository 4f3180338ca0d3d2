import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { CHECKS, percentile, type AttackOutcome, type CheckCounter, type Leak, type LookupSample, type Metrics, type PhaseSpan, type ResourceSample, type TrafficCounter } from './metrics.js'

// The result of a run as JSON (everything measured plus a summary against the targets); the HTML
// page in html.ts is drawn from this object alone.

export interface SimSummary {
  nodes: number
  durationMs: number
  startupMs: number
  lookups: { total: number, ok: number, success: number, successNoChurn: number, successDuringChurn: number, p50Ms: number, p95Ms: number }
  checks: Record<string, { passed: number, total: number }>
  adversarial: { total: number, refused: number, rate: number }
  leaks: number
  /** Operations that ignored their deadline and were given up on (0 in a healthy run). */
  stalled: number
  messages: number
  bytes: number
  rssPerNodeMiB: number
  cpuSeconds: number
  /** The machine's 1, 5 and 15 minute load averages as the run ended: other work shares the CPU. */
  loadAverage: number[]
  /** Every target of the issue met. */
  ok: boolean
}

export interface SimReport {
  seed: string
  scenario: string
  transport: 'memory' | 'tcp'
  startedAt: string
  personas: Array<{ node: number, key: string, name: string, origin: string, topics: string[], memories: number }>
  summary: SimSummary
  phases: PhaseSpan[]
  lookups: LookupSample[]
  traffic: Record<string, TrafficCounter>
  checks: Record<string, CheckCounter>
  attacks: AttackOutcome[]
  leaks: Leak[]
  stalls: Record<string, number>
  resources: ResourceSample[]
}

export interface ReportInput {
  seed: string
  scenario: string
  transport: 'memory' | 'tcp'
  startedAt: Date
  personas: SimReport['personas']
  metrics: Metrics
  startupMs: number
  baselineRss: number
  leaks: Leak[]
}

function rate (ok: number, total: number): number {
  return total === 0 ? 1 : ok / total
}

export function buildReport (input: ReportInput): SimReport {
  const m = input.metrics
  const nodes = input.personas.length
  const ok = m.lookups.filter(l => l.ok)
  const quiet = m.lookups.filter(l => !l.churn)
  const churn = m.lookups.filter(l => l.churn)
  const traffic = Object.fromEntries(m.traffic)
  const messages = [...m.traffic.values()].reduce((s, c) => s + c.requests * 2, 0)
  const bytes = [...m.traffic.values()].reduce((s, c) => s + c.bytesIn + c.bytesOut, 0)
  const peakRss = Math.max(input.baselineRss, ...m.resources.map(r => r.rssBytes))
  const last = m.resources.at(-1)
  const checks: SimSummary['checks'] = {}
  for (const name of CHECKS) {
    const c = m.checks.get(name)
    if (c !== undefined) checks[name] = { passed: c.passed, total: c.total }
  }
  const refused = m.attacks.filter(a => a.refused && a.disclosed === 0).length
  const summary: SimSummary = {
    nodes,
    durationMs: Math.round(m.now()),
    startupMs: Math.round(input.startupMs),
    lookups: {
      total: m.lookups.length,
      ok: ok.length,
      success: rate(ok.length, m.lookups.length),
      successNoChurn: rate(quiet.filter(l => l.ok).length, quiet.length),
      successDuringChurn: rate(churn.filter(l => l.ok).length, churn.length),
      p50Ms: round(percentile(ok.map(l => l.ms), 50)),
      p95Ms: round(percentile(ok.map(l => l.ms), 95))
    },
    checks,
    adversarial: { total: m.attacks.length, refused, rate: rate(refused, m.attacks.length) },
    leaks: input.leaks.length,
    stalled: [...m.stalls.values()].reduce((a, b) => a + b, 0),
    messages,
    bytes,
    rssPerNodeMiB: round((peakRss - input.baselineRss) / nodes / 1024 / 1024),
    cpuSeconds: round(((last?.cpuUserMs ?? 0) + (last?.cpuSystemMs ?? 0)) / 1000),
    loadAverage: loadavg().map(round),
    ok: false
  }
  summary.ok = summary.leaks === 0 && summary.stalled === 0 && summary.adversarial.rate === 1 && summary.lookups.successNoChurn === 1 &&
    summary.lookups.successDuringChurn >= 0.99 && Object.values(checks).every(c => c.passed === c.total)
  return {
    seed: input.seed,
    scenario: input.scenario,
    transport: input.transport,
    startedAt: input.startedAt.toISOString(),
    personas: input.personas,
    summary,
    phases: m.phases,
    lookups: m.lookups,
    traffic,
    checks: Object.fromEntries(m.checks),
    attacks: m.attacks,
    leaks: input.leaks,
    stalls: Object.fromEntries(m.stalls),
    resources: m.resources
  }
}

function round (v: number): number {
  return Math.round(v * 100) / 100
}

/** Write report.json and report.html into `dir`; returns their paths. */
export async function writeReport (dir: string, report: SimReport, html: string): Promise<{ json: string, html: string }> {
  await mkdir(dir, { recursive: true })
  const paths = { json: join(dir, 'report.json'), html: join(dir, 'report.html') }
  await writeFile(paths.json, JSON.stringify(report, null, 2) + '\n')
  await writeFile(paths.html, html)
  return paths
}
