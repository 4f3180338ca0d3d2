import { z } from 'zod'
import { defaultPersonaData, defaultScenarioPath } from '../sim/files.js'
import type { SimReport } from '../sim/report.js'
import type { SimulateOptions } from '../sim/run.js'
import { defineOp } from './op.js'

export const SimulateParams = z.object({
  nodes: z.number().int().min(2).max(500).default(10),
  seed: z.string().min(1).max(100).default('secondme'),
  transport: z.enum(['memory', 'tcp']).default('memory'),
  /** Scenario file; the shipped scenarios/default.json when absent. */
  scenario: z.string().min(1).optional(),
  /** LoCoMo-format persona data; the default persona data when absent. */
  data: z.string().min(1).optional(),
  /** Folder for report.json and report.html. */
  out: z.string().min(1).optional(),
  concurrency: z.number().int().min(1).max(64).default(8)
})
export type SimulateParams = z.input<typeof SimulateParams>

/**
 * Run a whole simulated network in this process. It does not touch the caller's own home: every
 * simulated node gets its own identity and vault in a temp dir, removed afterwards.
 */
export const simulateOp = defineOp({
  name: 'simulate',
  summary: 'run N Second Mes in one process through a scenario and report what happened',
  params: SimulateParams,
  run: async (_me, p, ctx) => await runSimulate(SimulateParams.parse(p), ctx.onProgress)
})

export async function runSimulate (p: z.output<typeof SimulateParams>, onProgress?: SimulateOptions['onProgress']): Promise<{ report: SimReport, files?: { json: string, html: string } }> {
  // Loaded on use: the simulation pulls in libp2p, which every other command can start without.
  const [{ loadScenario }, { simulate }, { writeReport }, { renderHtml }] = await Promise.all([
    import('../sim/scenario.js'), import('../sim/run.js'), import('../sim/report.js'), import('../sim/html.js')
  ])
  const scenario = await loadScenario(p.scenario ?? defaultScenarioPath())
  const report = await simulate({
    nodes: p.nodes,
    seed: p.seed,
    transport: p.transport,
    scenario,
    dataFile: p.data ?? defaultPersonaData(),
    concurrency: p.concurrency,
    ...(onProgress === undefined ? {} : { onProgress })
  })
  if (p.out === undefined) return { report }
  return { report, files: await writeReport(p.out, report, renderHtml(report)) }
}

export const simOps = [simulateOp]
