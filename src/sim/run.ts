import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProgressEvent } from '../progress.js'
import { runAttacks } from './attacks.js'
import { Cluster } from './cluster.js'
import { bounded, pool, type RunContext } from './context.js'
import { runLookups } from './discover.js'
import { LeakDetector } from './leaks.js'
import { Metrics } from './metrics.js'
import { buildPersonas, type Persona } from './personas.js'
import { buildPlan, type Plan, type PlannedStep } from './plan.js'
import { Rng } from './prng.js'
import { buildReport, type SimReport } from './report.js'
import type { Scenario } from './scenario.js'
import { converse, grant, introduce, query, revoke } from './steps.js'
import { errText, log } from '../log.js'

const logSim = log('sim')

export interface SimulateOptions {
  nodes: number
  seed: string
  transport: 'memory' | 'tcp'
  scenario: Scenario
  /** A LoCoMo file whose speakers become the first personas; generated personas otherwise. */
  dataFile?: string
  /** Where the nodes' homes go (removed afterwards). @default a fresh temp dir */
  workDir?: string
  /** Requests in flight at once. @default 8 */
  concurrency?: number
  onProgress?: (event: ProgressEvent) => void
}

/** The plan a run would execute: personas and decisions from the seed, nothing started. */
export async function planSimulation (options: Pick<SimulateOptions, 'nodes' | 'seed' | 'scenario' | 'dataFile'>): Promise<{ plan: Plan, personas: Persona[] }> {
  const rng = new Rng(options.seed)
  const personas = await buildPersonas(options.nodes, rng.fork('personas'), { ...options.scenario.personas, ...(options.dataFile === undefined ? {} : { dataFile: options.dataFile }) })
  return { plan: buildPlan(options.scenario, personas, rng.fork('plan')), personas }
}

/** Create the nodes, run the scenario, measure, and return the report. Nodes are removed after. */
export async function simulate (options: SimulateOptions): Promise<SimReport> {
  const startedAt = new Date()
  const { plan, personas } = await planSimulation(options)
  // The network stack loads on first start: load it now so its code is not counted against the nodes.
  await import('../net/start.js')
  const metrics = new Metrics()
  const baselineRss = process.memoryUsage().rss
  metrics.startSampling()
  const runId = `${process.pid}-${randomBytes(4).toString('hex')}`
  const cluster = new Cluster({ root: options.workDir ?? join(tmpdir(), `secondme-sim-${runId}`), transport: options.transport, runId, requestTimeoutMs: options.scenario.requestTimeoutMs })
  const leaks = new LeakDetector(personas.map(p => p.canary))
  const ctx: RunContext = { cluster, plan, metrics, leaks, pairs: plan.pairs.map(() => ({ status: 'none' })), timeoutMs: options.scenario.requestTimeoutMs, concurrency: options.concurrency ?? 8, ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) }
  try {
    const startupMs = await metrics.phase('start-up', async () => {
      const t0 = performance.now()
      await bringUp(ctx, personas)
      return performance.now() - t0
    })
    for (const [i, step] of plan.steps.entries()) {
      await metrics.phase(`${i + 1}. ${step.do}${step.do === 'discover' ? ` (${step.label})` : ''}`, async () => { await runStep(ctx, step) })
    }
    sweepDirectories(ctx)
    metrics.stopSampling()
    return buildReport({
      seed: options.seed,
      scenario: options.scenario.name,
      transport: options.transport,
      startedAt,
      personas: cluster.nodes.map(n => ({ node: n.index, key: n.persona.key, name: n.persona.name, origin: n.persona.origin, topics: n.persona.topics, memories: n.planted.size })),
      metrics,
      startupMs,
      baselineRss,
      leaks: leaks.leaks
    })
  } finally {
    metrics.stopSampling()
    await cluster.close()
  }
}

/** Homes, then the nodes one by one (each joining through up to three running ones), then one announcement each. */
async function bringUp (ctx: RunContext, personas: readonly Persona[]): Promise<void> {
  const n = personas.length
  await ctx.cluster.create(personas, done => { ctx.onProgress?.({ phase: 'create', done, total: n }) })
  for (let i = 0; i < n; i++) {
    await startBounded(ctx, i)
    ctx.metrics.setLiveNodes(i + 1)
    ctx.onProgress?.({ phase: 'start', done: i + 1, total: n })
  }
  // Announced only once all are up: records put into a half-built network sit on the wrong peers.
  await announceAll(ctx, ctx.cluster.nodes.map(node => node.index), 'announce')
}

/** Longest a node's start (libp2p, protocols, bootstrap dials) or stop may take. */
const START_STOP_MS = 60_000

/** Start node `i`; one that hangs is recorded as stalled and left out, the run goes on. */
async function startBounded (ctx: RunContext, i: number): Promise<void> {
  await bounded(ctx.metrics, 'node start', START_STOP_MS, async () => { await ctx.cluster.startNode(i) }).catch((err: unknown) => { logSim.error('node %d start: %s', i, errText(err)) })
}

async function announceAll (ctx: RunContext, indexes: number[], phase: string): Promise<void> {
  await pool(indexes, Math.max(2, Math.floor(ctx.concurrency / 2)), async (i) => {
    // One retry: under load an announcement can time out; a node whose records are stored nowhere cannot be found.
    let stored = false
    for (let attempt = 0; attempt < 2 && !stored; attempt++) {
      const report = await bounded(ctx.metrics, 'announce', Math.max(30_000, ctx.timeoutMs), async (signal) => await ctx.cluster.announce(i, signal)).catch((err: unknown) => { logSim('node %d announce: %s', i, errText(err)); return undefined })
      stored = (report?.profilePeers ?? 0) > 0
    }
    ctx.metrics.check('announcements stored', stored, `node ${i} (${ctx.cluster.nodes[i]?.me?.net?.libp2p.getPeers().length ?? 0} peers connected)`)
  }, { ctx, phase })
}

async function runStep (ctx: RunContext, step: PlannedStep): Promise<void> {
  switch (step.do) {
    case 'discover': return await runLookups(ctx, step.lookups, step.label, false)
    case 'introduce': return await introduce(ctx, step)
    case 'grant': return await grant(ctx, step)
    case 'query': return await query(ctx, step)
    case 'converse': return await converse(ctx, step)
    case 'revoke': return await revoke(ctx, step)
    case 'churn': return await churn(ctx, step)
    case 'adversarial': return await runAttacks(ctx, step.attacks)
  }
}

async function churn (ctx: RunContext, step: Extract<PlannedStep, { do: 'churn' }>): Promise<void> {
  for (const i of step.stop) await bounded(ctx.metrics, 'node stop', START_STOP_MS, async () => { await ctx.cluster.stopNode(i) }).catch((err: unknown) => { logSim.error('node %d stop: %s', i, errText(err)) })
  ctx.metrics.setLiveNodes(ctx.cluster.live.length)
  await runLookups(ctx, step.lookups, 'churn', true)
  if (!step.restart) return
  for (const i of step.stop) await startBounded(ctx, i)
  ctx.metrics.setLiveNodes(ctx.cluster.live.length)
  await announceAll(ctx, step.stop, 'rejoin')
}

/** Profiles every node holds from DHT lookups and handshakes were received from others: scan them too. */
function sweepDirectories (ctx: RunContext): void {
  for (const node of ctx.cluster.live) {
    for (const signed of node.me?.net?.directory.list() ?? []) {
      if (signed.profile.peerId !== node.peerId) ctx.leaks.scan(node.index, 'peer directory', signed)
    }
  }
}
