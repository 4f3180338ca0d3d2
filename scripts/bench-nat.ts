import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { createLab, labUnavailable, type HostSpec, type Lab } from './netlab/lab.js'
import { LAB_PORT, makeHome, networkOf, startNode, until, type LabNode } from './netlab/nodes.js'

// bench:nat — connections between `secondme start` processes behind different NATs in the lab
// (root). For each pair of NAT types, `--trials` times: hang up, then a handshake (the first protocol
// answer: profile lookup on the DHT, dial, relayed or direct), wait for a direct upgrade (DCUtR), and
// run the intro -> query -> converse flow (the responder's standing rule grants at once).
//
//   sudo npm run bench:nat -- [--trials 20] [--upgrade-wait-ms 4000]

const REPO_ROOT = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const TRIALS = opt('trials', 20)
const UPGRADE_WAIT_MS = opt('upgrade-wait-ms', 4_000)

const HOSTS: HostSpec[] = [
  { name: 'relay' },
  { name: 'pub' },
  { name: 'cone1', nat: 'cone' },
  { name: 'cone2', nat: 'cone' },
  { name: 'sym1', nat: 'symmetric' },
  { name: 'sym2', nat: 'symmetric' }
]
const PAIRS: Array<[string, string, string]> = [
  ['public-cone', 'pub', 'cone1'],
  ['cone-cone', 'cone1', 'cone2'],
  ['cone-symmetric', 'cone2', 'sym1'],
  ['symmetric-symmetric', 'sym1', 'sym2']
]
const MEMORY = { text: 'I keep my boat at the harbour in Lausanne and sail on weekends', visibility: 'shareable' as const, topic: 'sailing' }

interface Trial { ok: boolean, firstLink: string | null, firstMs: number, upgraded: boolean, directMs: number | undefined, flowMs: number | undefined, error?: string }

async function main (): Promise<void> {
  const why = await labUnavailable()
  if (why !== undefined) {
    console.error(`bench:nat cannot run: ${why}`)
    process.exitCode = 1
    return
  }
  const tmp = await mkdtemp(join(tmpdir(), 'secondme-bench-nat-'))
  let lab: Lab | undefined
  const nodes = new Map<string, LabNode>()
  try {
    lab = await createLab(HOSTS)
    await startAll(lab, tmp, nodes)
    const results: Record<string, Trial[]> = {}
    for (const [label, from, to] of PAIRS) results[label] = await pairTrials(nodes.get(from)!, nodes.get(to)!)
    report(results)
  } finally {
    await Promise.all([...nodes.values()].map(async n => await n.stop().catch(() => null)))
    await lab?.destroy()
    await rm(tmp, { recursive: true, force: true })
  }
}

async function startAll (lab: Lab, tmp: string, nodes: Map<string, LabNode>): Promise<void> {
  const kdf = { N: 2 ** 10, r: 8, p: 1 }
  for (const h of HOSTS) await makeHome(join(tmp, h.name), { name: h.name, topics: ['sailing'], memories: [MEMORY] }, kdf)
  const relayIp = lab.host('relay').ip
  const relay = await startNode(lab, 'relay', join(tmp, 'relay'), REPO_ROOT, ['--relay', '--listen', `/ip4/${relayIp}/tcp/${LAB_PORT}`])
  nodes.set('relay', relay)
  const boot = `/ip4/${relayIp}/tcp/${LAB_PORT}/p2p/${relay.peerId}`
  for (const h of HOSTS.slice(1)) {
    const node = await startNode(lab, h.name, join(tmp, h.name), REPO_ROOT, ['--listen', `/ip4/0.0.0.0/tcp/${LAB_PORT}`, '--bootstrap', boot])
    nodes.set(h.name, node)
    await node.call('rules.add', { effect: 'allow', actions: ['memory:read', 'converse'], scope: { topics: ['sailing'], visibility: ['shareable'] } })
  }
  for (const h of HOSTS.slice(1)) {
    const node = nodes.get(h.name)!
    const expected = h.nat === undefined ? 'public' : 'private'
    await until(`${h.name} settled (${expected})`, async () => {
      const net = await networkOf(node)
      if (net?.reachability !== expected) return undefined
      return expected === 'public' || net.addresses.some(a => a.includes('/p2p-circuit')) ? true : undefined
    }, 90_000, 500)
  }
  // A node re-announces its profile once it has relayed addresses: let those announcements land
  // before the first lookup, or a dialer may find (and cache) a profile without them.
  await new Promise(resolve => setTimeout(resolve, 8_000))
}

async function linkTo (from: LabNode, to: LabNode): Promise<string | null> {
  const r = await from.call('peers', {})
  return r.peers.find(p => p.peerId === to.peerId)?.link ?? null
}

async function pairTrials (from: LabNode, to: LabNode): Promise<Trial[]> {
  const trials: Trial[] = []
  for (let i = 0; i < TRIALS; i++) trials.push(await oneTrial(from, to))
  return trials
}

async function oneTrial (from: LabNode, to: LabNode): Promise<Trial> {
  await from.call('net.hangup', { peer: to.peerId }).catch(() => {})
  await to.call('net.hangup', { peer: from.peerId }).catch(() => {})
  const t0 = performance.now()
  try {
    await from.call('handshake', { peer: to.peerId })
  } catch (err) {
    return { ok: false, firstLink: null, firstMs: performance.now() - t0, upgraded: false, directMs: undefined, flowMs: undefined, error: String(err) }
  }
  const firstMs = performance.now() - t0
  const firstLink = await linkTo(from, to)
  let upgraded = firstLink === 'direct'
  const end = Date.now() + UPGRADE_WAIT_MS
  while (!upgraded && Date.now() < end) {
    await new Promise(resolve => setTimeout(resolve, 200))
    upgraded = await linkTo(from, to) === 'direct'
  }
  let directMs: number | undefined
  if (upgraded) {
    const t1 = performance.now()
    await from.call('handshake', { peer: to.peerId })
    directMs = performance.now() - t1
  }
  const t2 = performance.now()
  let flowMs: number | undefined
  try {
    const ask = { peer: to.peerId, actions: ['memory:read', 'converse'], visibility: ['shareable'], topics: ['sailing'], purpose: 'bench', durationSec: 3600 }
    const decision = await from.call('introduce', ask)
    if (decision.status !== 'granted') throw new Error(`introduce: ${decision.status}`)
    const q = await from.call('query', { peer: to.peerId, text: 'where is your boat', k: 3 })
    if (q.items.length === 0) throw new Error('query: nothing')
    await from.call('converse', { peer: to.peerId, message: 'Where do you keep your boat?' })
    flowMs = performance.now() - t2
  } catch (err) {
    return { ok: false, firstLink, firstMs, upgraded, directMs, flowMs: undefined, error: String(err) }
  }
  return { ok: true, firstLink, firstMs, upgraded, directMs, flowMs }
}

function pct (values: number[], p: number): string {
  if (values.length === 0) return '-'
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(0)
}

function report (results: Record<string, Trial[]>): void {
  const load = loadavg().map(l => l.toFixed(2)).join(' ')
  const lines = [`bench:nat  trials/pair ${TRIALS}  upgrade wait ${UPGRADE_WAIT_MS} ms  load ${load}  (${execFileSync('uptime').toString().trim()})`,
    'pair                 connect   first link       direct upgrade   first answer ms p50/p95   direct answer ms p50   intro->query->converse ms p50/p95']
  for (const [label, trials] of Object.entries(results)) {
    const ok = trials.filter(t => t.ok).length
    const relayed = trials.filter(t => t.firstLink === 'relayed').length
    const upgraded = trials.filter(t => t.upgraded).length
    const first = trials.filter(t => t.ok).map(t => t.firstMs)
    const direct = trials.flatMap(t => t.directMs === undefined ? [] : [t.directMs])
    const flow = trials.flatMap(t => t.flowMs === undefined ? [] : [t.flowMs])
    lines.push(`${label.padEnd(20)} ${`${ok}/${trials.length}`.padEnd(9)} ${`${relayed} relayed`.padEnd(16)} ${`${upgraded}/${trials.length} (${(100 * upgraded / trials.length).toFixed(0)}%)`.padEnd(16)} ${`${pct(first, 0.5)}/${pct(first, 0.95)}`.padEnd(25)} ${pct(direct, 0.5).padEnd(22)} ${pct(flow, 0.5)}/${pct(flow, 0.95)}`)
    const errors = [...new Set(trials.flatMap(t => t.error === undefined ? [] : [t.error.slice(0, 160)]))]
    for (const e of errors.slice(0, 3)) lines.push(`  error: ${e}`)
  }
  console.log(lines.join('\n'))
  void writeOut(results, lines)
}

async function writeOut (results: Record<string, Trial[]>, lines: string[]): Promise<void> {
  const dir = join(REPO_ROOT, 'bench-out')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'nat.json'), JSON.stringify({ trials: TRIALS, upgradeWaitMs: UPGRADE_WAIT_MS, results, summary: lines }, null, 2))
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1 })
