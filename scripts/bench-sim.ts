// npm run bench:sim [-- --sweep 10,25,50,100 --seed S --scenario file --data file --out dir]
// How time, CPU and memory of a full default-scenario simulation grow with the number of nodes
// (memory transport). Each size runs in a fresh child process, so its RSS per node is growth over
// its own baseline, not over heap an earlier, smaller run left behind; the load average printed
// with each row says how much else was running on the machine.
import '../src/polyfill.js'
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runSimulate, SimulateParams } from '../src/sim/op.js'
import type { SimSummary } from '../src/sim/report.js'
import { formatSweep } from '../src/sim/sweep.js'

const { values } = parseArgs({
  options: {
    sweep: { type: 'string', default: '10,25,50,100' },
    seed: { type: 'string', default: 'bench' },
    scenario: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    one: { type: 'string' }
  }
})

const RESULT = 'BENCH-SIM-RESULT '

async function runOne (nodes: number): Promise<void> {
  const { report, files } = await runSimulate(SimulateParams.parse({
    nodes,
    seed: values.seed,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.data === undefined ? {} : { data: values.data }),
    ...(values.out === undefined ? {} : { out: `${values.out}/n${nodes}` })
  }))
  if (files !== undefined) console.error(`  report: ${files.html}`)
  console.log(RESULT + JSON.stringify(report.summary))
}

function runChild (nodes: number): SimSummary {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--one', String(nodes), '--seed', values.seed]
  for (const key of ['scenario', 'data', 'out'] as const) {
    const value = values[key]
    if (value !== undefined) args.push(`--${key}`, value)
  }
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 })
  const line = child.stdout.split('\n').find(l => l.startsWith(RESULT))
  if (child.status !== 0 || line === undefined) throw new Error(`the ${nodes}-node run failed (exit ${String(child.status)})`)
  return JSON.parse(line.slice(RESULT.length)) as SimSummary
}

if (values.one !== undefined) {
  await runOne(Number(values.one))
} else {
  const rows: SimSummary[] = []
  for (const nodes of values.sweep.split(',').map(Number)) {
    const t0 = Date.now()
    const load = loadavg().map(l => l.toFixed(2)).join(' ')
    const summary = runChild(nodes)
    rows.push(summary)
    console.log(`${nodes} nodes: ${(summary.durationMs / 1000).toFixed(1)} s simulated, ${summary.cpuSeconds} CPU s, process ${((Date.now() - t0) / 1000).toFixed(1)} s; load before ${load}, after ${summary.loadAverage.map(l => l.toFixed(2)).join(' ')}`)
  }
  console.log(formatSweep(rows))
}
