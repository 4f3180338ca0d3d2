import { z } from 'zod'
import { defineOp } from '../api/op.js'
import { defaultPersonaData, defaultScenarioPath } from './files.js'
import type { SimReport } from './report.js'
import type { SimulateOptions } from './run.js'

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

const Counts = z.object({ passed: z.number(), total: z.number() })
/** The run's summary in full; the per-sample detail (phases, lookups, traffic...) as recorded. */
const SimSummary = z.object({
  nodes: z.number(),
  durationMs: z.number(),
  startupMs: z.number(),
  lookups: z.object({ total: z.number(), ok: z.number(), success: z.number(), successNoChurn: z.number(), successDuringChurn: z.number(), p50Ms: z.number(), p95Ms: z.number() }),
  checks: z.record(z.string(), Counts),
  adversarial: z.object({ total: z.number(), refused: z.number(), rate: z.number() }),
  leaks: z.number(),
  stalled: z.number(),
  messages: z.number(),
  bytes: z.number(),
  rssPerNodeMiB: z.number(),
  cpuSeconds: z.number(),
  loadAverage: z.array(z.number()),
  ok: z.boolean()
})
const Detail = z.array(z.unknown())
const Table = z.record(z.string(), z.unknown())
export const SimulateResult = z.object({
  report: z.object({
    seed: z.string(),
    scenario: z.string(),
    transport: z.enum(['memory', 'tcp']),
    startedAt: z.string(),
    personas: z.array(z.object({ node: z.number(), key: z.string(), name: z.string(), origin: z.string(), topics: z.array(z.string()), memories: z.number() })),
    summary: SimSummary,
    phases: Detail,
    lookups: Detail,
    traffic: Table,
    checks: Table,
    attacks: Detail,
    leaks: Detail,
    stalls: z.record(z.string(), z.number()),
    resources: Detail
  }),
  files: z.object({ json: z.string(), html: z.string() }).optional()
})

/**
 * Run a whole simulated network in this process. It does not touch the caller's own home: every
 * simulated node gets its own identity and vault in a temp dir, removed afterwards.
 */
export const simulateOp = defineOp({
  name: 'simulate',
  summary: 'run N Second Mes in one process through a scenario and report what happened',
  params: SimulateParams,
  result: SimulateResult,
  run: async (_me, p, ctx) => await runSimulate(SimulateParams.parse(p), ctx.onProgress)
})

export async function runSimulate (p: z.output<typeof SimulateParams>, onProgress?: SimulateOptions['onProgress']): Promise<{ report: SimReport, files?: { json: string, html: string } }> {
  // Loaded on use: the simulation pulls in libp2p, which every other command can start without.
  const [{ loadScenario }, { simulate }, { writeReport }, { renderHtml }] = await Promise.all([
    import('./scenario.js'), import('./run.js'), import('./report.js'), import('./html.js')
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

export const simOps = [simulateOp] as const
