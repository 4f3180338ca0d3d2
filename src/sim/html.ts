import type { SimReport } from './report.js'
import { barChart, escapeXml, histogram, lineChart, type Series } from './svg.js'

// The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

const MiB = 1024 * 1024

/** Success rate of lookups per time bucket, for "discovery success over time". */
function successOverTime (report: SimReport, buckets = 30): Series[] {
  const end = Math.max(1, report.summary.durationMs)
  const width = end / buckets
  const points: Array<[number, number]> = []
  for (let b = 0; b < buckets; b++) {
    const inBucket = report.lookups.filter(l => l.atMs >= b * width && l.atMs < (b + 1) * width)
    if (inBucket.length > 0) points.push([round1((b + 0.5) * width / 1000), inBucket.filter(l => l.ok).length / inBucket.length * 100])
  }
  return [{ name: 'lookups found (%)', points, color: '#2f7d32' }]
}

function resourceSeries (report: SimReport): { rss: Series[], cpu: Series[] } {
  const r = report.resources
  const base = r[0]?.rssBytes ?? 0
  const n = Math.max(1, report.summary.nodes)
  const rss = r.map(s => [round1(s.atMs / 1000), (s.rssBytes - base) / n / MiB] as [number, number])
  const cpu: Array<[number, number]> = []
  for (let i = 1; i < r.length; i++) {
    const a = r[i - 1]!
    const b = r[i]!
    const dt = b.atMs - a.atMs
    if (dt <= 0) continue
    const used = (b.cpuUserMs + b.cpuSystemMs) - (a.cpuUserMs + a.cpuSystemMs)
    cpu.push([round1(b.atMs / 1000), used / dt * 100 / n])
  }
  return {
    rss: [{ name: 'RSS growth per node (MiB)', points: thin(rss), color: '#6a4fb3' }],
    cpu: [{ name: 'CPU per node (% of a core)', points: thin(cpu), color: '#c2571a' }]
  }
}

function thin (points: Array<[number, number]>, max = 300): Array<[number, number]> {
  if (points.length <= max) return points
  const step = points.length / max
  return Array.from({ length: max }, (_v, i) => points[Math.floor(i * step)]!)
}

function round1 (v: number): number {
  return Math.round(v * 10) / 10
}

function summaryTable (report: SimReport): string {
  const s = report.summary
  const row = (k: string, v: string, cls = ''): string => `<tr class="${cls}"><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
  return `<table>${[
    row('nodes', String(s.nodes)),
    row('duration', `${(s.durationMs / 1000).toFixed(1)} s (start-up ${(s.startupMs / 1000).toFixed(1)} s)`),
    row('lookups', `${s.lookups.ok}/${s.lookups.total} (${pct(s.lookups.success)}); no churn ${pct(s.lookups.successNoChurn)}, during churn ${pct(s.lookups.successDuringChurn)}`),
    row('lookup latency', `p50 ${s.lookups.p50Ms} ms, p95 ${s.lookups.p95Ms} ms`),
    ...Object.entries(s.checks).map(([k, c]) => row(k, `${c.passed}/${c.total}`, c.passed === c.total ? 'good' : 'bad')),
    row('adversarial refused', `${s.adversarial.refused}/${s.adversarial.total}`, s.adversarial.rate === 1 ? 'good' : 'bad'),
    row('messages / bytes', `${s.messages} / ${(s.bytes / 1024).toFixed(1)} KiB`),
    row('RSS growth per node', `${s.rssPerNodeMiB} MiB`),
    row('CPU', `${s.cpuSeconds} s (machine load average ${s.loadAverage.join(' / ')} at the end)`),
    row('stalled operations', String(s.stalled), s.stalled === 0 ? 'good' : 'bad')
  ].join('')}</table>`
}

export function renderHtml (report: SimReport): string {
  const s = report.summary
  const { rss, cpu } = resourceSeries(report)
  const latencies = report.lookups.filter(l => l.ok).map(l => l.ms)
  const traffic = Object.entries(report.traffic)
  const leakBox = s.leaks === 0
    ? '<div class="leaks good">Leaks: 0 — no canary reached any other node</div>'
    : `<div class="leaks bad">Leaks: ${s.leaks} — ${report.leaks.slice(0, 10).map(l => escapeXml(`node ${l.owner} → node ${l.receiver} via ${l.where}`)).join('; ')}</div>`
  const byAttack = new Map<string, SimReport['attacks']>()
  for (const a of report.attacks) byAttack.set(a.attack, [...(byAttack.get(a.attack) ?? []), a])
  const attacks = [...byAttack].map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${v.filter(a => a.refused && a.disclosed === 0).length}/${v.length}</td><td>${escapeXml([...new Set(v.map(a => a.code))].join(', '))}</td></tr>`).join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>secondme simulation — ${escapeXml(report.scenario)}</title>
<style>body{font-family:sans-serif;max-width:1180px;margin:1em auto;color:#222}section{display:inline-block;vertical-align:top;margin:0 1em 1em 0}
table{border-collapse:collapse}th,td{text-align:left;padding:2px 10px;border-bottom:1px solid #eee}tr.good td{color:#2f7d32}tr.bad td{color:#b00020;font-weight:bold}
.leaks{font-size:1.6em;padding:.5em 1em;margin:.5em 0;border-radius:6px}.leaks.good{background:#e6f4e6;color:#1b5e20}.leaks.bad{background:#fde7ea;color:#b00020}</style></head><body>
<h1>secondme simulation: ${escapeXml(report.scenario)}</h1>
<p>${s.nodes} nodes, transport ${report.transport}, seed <code>${escapeXml(report.seed)}</code>, started ${escapeXml(report.startedAt)} — targets ${s.ok ? '<b style="color:#2f7d32">met</b>' : '<b style="color:#b00020">NOT met</b>'}</p>
${leakBox}
<section><h2>Summary</h2>${summaryTable(report)}</section>
<section><h2>Adversarial requests</h2><table><tr><th>attack</th><th>refused</th><th>codes</th></tr>${attacks}</table></section><br>
<section><h2>Discovery success over time</h2>${lineChart(successOverTime(report), { x: 'time (s)', y: 'success %', yMin: 0, yMax: 100 })}</section>
<section><h2>Lookup latency</h2>${histogram(latencies, { x: 'latency (ms)' })}</section>
<section><h2>Messages per protocol</h2>${barChart(traffic.map(([k, c]) => ({ label: k.replace('/secondme/', '').replace('/1.0.0', ''), value: c.requests * 2 })), { y: 'messages' })}</section>
<section><h2>Bytes per protocol (KiB)</h2>${barChart(traffic.map(([k, c]) => ({ label: k.replace('/secondme/', '').replace('/1.0.0', ''), value: Math.round((c.bytesIn + c.bytesOut) / 1024), color: '#c28a1a' })), { y: 'KiB' })}</section>
<section><h2>Memory per node</h2>${lineChart(rss, { x: 'time (s)', y: 'MiB' })}</section>
<section><h2>CPU per node</h2>${lineChart(cpu, { x: 'time (s)', y: '% of a core' })}</section>
<h2>Phases</h2><table>${report.phases.map(p => `<tr><th>${escapeXml(p.name)}</th><td>${((p.endMs - p.startMs) / 1000).toFixed(2)} s</td></tr>`).join('')}</table>
</body></html>
`
}
