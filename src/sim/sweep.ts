import type { SimSummary } from './report.js'

// How a simulation grows with the number of nodes: one row per run, then the growth from each
// size to the next (time, CPU and memory per node), so the scaling is read off directly.

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`

function columns (rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map(row => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n')
}

function row (s: SimSummary): string[] {
  return [
    String(s.nodes),
    (s.durationMs / 1000).toFixed(1),
    String(s.cpuSeconds),
    (s.startupMs / 1000).toFixed(1),
    String(s.rssPerNodeMiB),
    pct(s.lookups.successNoChurn),
    pct(s.lookups.successDuringChurn),
    `${s.lookups.p50Ms}/${s.lookups.p95Ms}`,
    `${s.adversarial.refused}/${s.adversarial.total}`,
    String(s.leaks),
    String(s.stalled),
    s.loadAverage.map(l => l.toFixed(2)).join(' '),
    s.ok ? 'met' : 'NOT met'
  ]
}

function growth (from: SimSummary, to: SimSummary): string {
  const x = (a: number, b: number): string => a > 0 ? `x${(b / a).toFixed(2)}` : '-'
  return `  ${from.nodes} -> ${to.nodes} nodes (${x(from.nodes, to.nodes)}): time ${x(from.durationMs, to.durationMs)}, ` +
    `CPU ${x(from.cpuSeconds, to.cpuSeconds)} (per node ${x(from.cpuSeconds / from.nodes, to.cpuSeconds / to.nodes)}), ` +
    `RSS per node ${from.rssPerNodeMiB} -> ${to.rssPerNodeMiB} MiB`
}

export function formatSweep (rows: readonly SimSummary[]): string {
  const header = ['nodes', 'time s', 'CPU s', 'start-up s', 'MiB/node', 'lookups', 'in churn', 'p50/p95 ms', 'adversarial', 'leaks', 'stalled', 'load 1/5/15m', 'targets']
  const lines = [columns([header, ...rows.map(row)])]
  if (rows.length > 1) {
    lines.push('growth:')
    for (let i = 1; i < rows.length; i++) lines.push(growth(rows[i - 1] as SimSummary, rows[i] as SimSummary))
  }
  return lines.join('\n')
}
