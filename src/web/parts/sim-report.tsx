import { Card } from '../ui.js'

export interface Report {
  seed: string
  scenario: string
  summary: {
    nodes: number, durationMs: number, leaks: number, ok: boolean, messages: number, rssPerNodeMiB: number
    lookups: { total: number, success: number, p50Ms: number, p95Ms: number }
    adversarial: { total: number, refused: number }
    checks: Record<string, { passed: number, total: number }>
  }
  lookups: Array<{ atMs: number, ok: boolean, ms: number }>
  traffic: Record<string, { requests: number, ok: number, refused: number, failed: number }>
  resources: Array<{ atMs: number, rssBytes: number }>
}

/** Lookup latency over the run: one dot per lookup (red when it failed). */
function LookupChart ({ lookups }: { lookups: Report['lookups'] }) {
  if (lookups.length === 0) return null
  const maxT = Math.max(1, ...lookups.map(l => l.atMs))
  const maxMs = Math.max(1, ...lookups.map(l => l.ms))
  return (
    <figure>
      <svg viewBox="0 0 400 160" role="img" aria-label={`Lookup latency over time: ${lookups.length} lookups, slowest ${Math.round(maxMs)} ms`}>
        <line x1={30} y1={140} x2={395} y2={140} class="axis" />
        <line x1={30} y1={10} x2={30} y2={140} class="axis" />
        <text x={2} y={14}>{Math.round(maxMs)}</text><text x={10} y={140}>0</text>
        {lookups.map((l, i) => <circle key={i} cx={30 + (l.atMs / maxT) * 365} cy={140 - (l.ms / maxMs) * 130} r={2} class={l.ok ? 'dot' : 'dot bad'} />)}
      </svg>
      <figcaption>Lookup latency (ms) over the run</figcaption>
    </figure>
  )
}

/** Process memory over the run. */
function RssChart ({ resources }: { resources: Report['resources'] }) {
  if (resources.length < 2) return null
  const maxT = Math.max(1, ...resources.map(r => r.atMs))
  const maxB = Math.max(1, ...resources.map(r => r.rssBytes))
  const points = resources.map(r => `${30 + (r.atMs / maxT) * 365},${140 - (r.rssBytes / maxB) * 130}`).join(' ')
  return (
    <figure>
      <svg viewBox="0 0 400 160" role="img" aria-label={`Memory use over the run, peak ${Math.round(maxB / 2 ** 20)} MiB`}>
        <line x1={30} y1={140} x2={395} y2={140} class="axis" />
        <polyline points={points} class="line" />
      </svg>
      <figcaption>Resident memory over the run (peak {Math.round(maxB / 2 ** 20)} MiB)</figcaption>
    </figure>
  )
}

export function SimReportView ({ report }: { report: Report }) {
  const s = report.summary
  return (
    <Card title={`Report: ${s.nodes} nodes, seed “${report.seed}”`} id="report">
      <p role="status" class={s.ok ? 'ok' : 'error'}>{s.ok ? 'Every target met.' : 'Some targets missed.'} {s.leaks} leaks, {s.adversarial.refused}/{s.adversarial.total} attacks refused, {s.messages} messages in {(s.durationMs / 1000).toFixed(1)} s.</p>
      <p>Lookups: {s.lookups.success * 100 | 0}% of {s.lookups.total} succeeded, p50 {s.lookups.p50Ms.toFixed(0)} ms, p95 {s.lookups.p95Ms.toFixed(0)} ms; {s.rssPerNodeMiB.toFixed(1)} MiB per node.</p>
      <div class="grid">
        <LookupChart lookups={report.lookups} />
        <RssChart resources={report.resources} />
      </div>
      <table>
        <caption>Checks</caption>
        <thead><tr><th scope="col">Check</th><th scope="col">Passed</th><th scope="col">Total</th></tr></thead>
        <tbody>{Object.entries(s.checks).map(([k, v]) => <tr key={k}><td>{k}</td><td>{v.passed}</td><td>{v.total}</td></tr>)}</tbody>
      </table>
      <table>
        <caption>Traffic per protocol</caption>
        <thead><tr><th scope="col">Protocol</th><th scope="col">Requests</th><th scope="col">OK</th><th scope="col">Refused</th><th scope="col">Failed</th></tr></thead>
        <tbody>{Object.entries(report.traffic).map(([k, v]) => <tr key={k}><td>{k}</td><td>{v.requests}</td><td>{v.ok}</td><td>{v.refused}</td><td>{v.failed}</td></tr>)}</tbody>
      </table>
    </Card>
  )
}
