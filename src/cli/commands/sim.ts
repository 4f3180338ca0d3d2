import type { Command } from 'commander'
import { runSimulate, SimulateParams } from '../../sim/op.js'
import { InputError } from '../../errors.js'
import type { SimReport, SimSummary } from '../../sim/report.js'
import type { CliContext } from '../context.js'
import { printResult } from '../output.js'
import { formatSweep } from '../../sim/sweep.js'
import { progressBar } from '../progress.js'
import { intArg } from '../args.js'

interface SimFlags { nodes: string, seed: string, transport: string, scenario?: string, data?: string, out?: string, sweep?: string, concurrency: string }

/** `simulate`: many Second Mes in this process through a scenario; needs no home of its own. */
export function registerSim (program: Command, cli: CliContext): void {
  program.command('simulate')
    .description('run N Second Mes in one process through a scenario; writes report.json and report.html')
    .option('--nodes <n>', 'number of nodes', '10')
    .option('--seed <seed>', 'seed of every scenario decision', 'secondme')
    .option('--transport <kind>', 'memory (in-process) or tcp (loopback)', 'memory')
    .option('--scenario <file>', 'scenario file (default: scenarios/default.json)')
    .option('--data <file>', 'LoCoMo-format persona data (default: $SECONDME_PERSONAS, ../shared/data/locomo/dev.json, or scenarios/personas.json)')
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--sweep <list>', 'run once per node count (e.g. 10,25,50,100) and print how time and memory grow')
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .action(async (flags: SimFlags) => {
      const counts = flags.sweep === undefined ? [intArg(flags.nodes, '--nodes')] : flags.sweep.split(',').map(s => intArg(s.trim(), '--sweep'))
      const rows: SimSummary[] = []
      for (const nodes of counts) {
        const params = parse({ ...flags, nodes })
        const bar = progressBar(cli.interactive)
        let result
        try {
          result = await runSimulate(params, bar.onProgress)
        } finally {
          bar.stop()
        }
        rows.push(result.report.summary)
        if (flags.sweep === undefined) printResult(cli.printer, result, r => formatReport(r.report, r.files))
        else if (!cli.printer.json) cli.printer.out(`${nodes} nodes: ${(result.report.summary.durationMs / 1000).toFixed(1)} s, ${result.report.summary.rssPerNodeMiB} MiB/node, targets ${result.report.summary.ok ? 'met' : 'NOT met'}${result.files === undefined ? '' : ` (${result.files.html})`}`)
      }
      if (flags.sweep !== undefined) printResult(cli.printer, { sweep: rows }, r => formatSweep(r.sweep))
    })
}

function parse (flags: Omit<SimFlags, 'nodes'> & { nodes: number }): ReturnType<typeof SimulateParams.parse> {
  const out = flags.out === undefined ? undefined : flags.sweep === undefined ? flags.out : `${flags.out}/n${flags.nodes}`
  const parsed = SimulateParams.safeParse({
    nodes: flags.nodes,
    seed: flags.seed,
    transport: flags.transport,
    concurrency: intArg(flags.concurrency, '--concurrency'),
    ...(flags.scenario === undefined ? {} : { scenario: flags.scenario }),
    ...(flags.data === undefined ? {} : { data: flags.data }),
    ...(out === undefined ? {} : { out })
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InputError('E_BAD_INPUT', `simulate: --${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}


const pct = (v: number): string => `${(v * 100).toFixed(1)}%`

export function formatReport (r: SimReport, files?: { json: string, html: string }): string {
  const s = r.summary
  const lines = [
    `simulation "${r.scenario}": ${s.nodes} nodes over ${r.transport}, seed ${r.seed}`,
    `  time          ${(s.durationMs / 1000).toFixed(1)} s (start-up ${(s.startupMs / 1000).toFixed(1)} s), CPU ${s.cpuSeconds} s, load average ${s.loadAverage.join(' ')}`,
    `  memory        ${s.rssPerNodeMiB} MiB RSS growth per node`,
    `  lookups       ${s.lookups.ok}/${s.lookups.total} found (no churn ${pct(s.lookups.successNoChurn)}, during churn ${pct(s.lookups.successDuringChurn)}), p50 ${s.lookups.p50Ms} ms, p95 ${s.lookups.p95Ms} ms`,
    ...Object.entries(s.checks).map(([k, c]) => `  ${k.padEnd(24)}${c.passed}/${c.total}${c.passed === c.total ? '' : '  <-- FAILED'}`),
    `  adversarial   ${s.adversarial.refused}/${s.adversarial.total} refused`,
    `  traffic       ${s.messages} messages, ${(s.bytes / 1024).toFixed(1)} KiB`,
    `  LEAKS         ${s.leaks}`,
    ...(s.stalled === 0 ? [] : [`  stalled       ${s.stalled} operations ignored their deadline  <-- FAILED`]),
    `  targets       ${s.ok ? 'met' : 'NOT met'}`
  ]
  if (files !== undefined) lines.push(`report: ${files.html}`, `        ${files.json}`)
  return lines.join('\n')
}

export { formatSweep }
