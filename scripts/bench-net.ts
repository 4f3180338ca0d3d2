// bench:net — DHT announce/lookup, handshake, memory-query round trips (new and reused streams) and
// a raw libp2p echo protocol as the baseline, all in one process; RSS per node.
// usage: npm run bench:net -- [--nodes 20] [--transport tcp|memory] [--rounds 200] [--load]
// --load keeps every core busy with spinning child processes while it runs (lookups under load).
// --flood [--seconds 15] [--concurrency 32]: one attacker vs 5 honest peers (scripts/bench-flood.ts).
import '../src/polyfill.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { z } from 'zod'
import { NetNode, RpcSession, memorySpec } from '../src/net/index.js'
import { withDeadline } from '../src/net/deadline.js'
import type { AnnounceReport } from '../src/net/presence.js'
import { RateLimiter } from '../src/net/rate-limit.js'
import { ReplayGuard } from '../src/net/wire/replay.js'
import { streamHandler } from '../src/net/wire/server.js'
import { netDepsOf } from '../src/net/start.js'
import { SecondMe } from '../src/node.js'
import { runFlood } from './bench-flood.js'

const { values: args } = parseArgs({ options: {
  nodes: { type: 'string', default: '20' },
  transport: { type: 'string', default: 'tcp' },
  rounds: { type: 'string', default: '200' },
  load: { type: 'boolean', default: false },
  flood: { type: 'boolean', default: false },
  seconds: { type: 'string', default: '15' },
  concurrency: { type: 'string', default: '32' }
} })
const N = Math.max(3, Number(args.nodes))
const ROUNDS = Math.max(10, Number(args.rounds))
const TRANSPORT = args.transport === 'memory' ? 'memory' : 'tcp'
const ECHO = '/secondme-bench/echo/1.0.0'
/** Our wire stack (codec, zod, freshness/replay, quota, error frames) around a handler that does nothing. */
const wireEchoSpec = {
  id: '/secondme-bench/wire-echo/1.0.0',
  signed: false,
  kinds: { echo: { request: z.object({ items: z.array(z.unknown()) }), response: z.object({ items: z.array(z.unknown()) }) } }
}
const TOPICS = ['sailing', 'cooking', 'chess', 'jazz', 'rust']
const tag = `${process.pid}-${Date.now()}`

function listenFor (i: number): string[] {
  return TRANSPORT === 'memory' ? [`/memory/bench-${tag}-${i}`] : ['/ip4/127.0.0.1/tcp/0']
}

function stats (ms: number[]): { p50: number, p95: number, mean: number } {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) }
}

const fmt = (x: number): string => x < 10 ? x.toFixed(3) : x.toFixed(1)
function line (name: string, ms: number[], extra = ''): { p50: number, p95: number } {
  const st = stats(ms)
  console.log(`${name.padEnd(34)} p50 ${fmt(st.p50).padStart(8)} ms   p95 ${fmt(st.p95).padStart(8)} ms   n=${ms.length}${extra}`)
  return st
}

async function timed<T> (fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now()
  const r = await fn()
  return [performance.now() - t, r]
}

function mib (bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

/** The Second Me that answers memory queries: real vault, memory, policy (grant check + audit). */
async function startServer (dir: string): Promise<SecondMe> {
  const me = await SecondMe.init({ home: dir, passphrase: 'bench', displayName: 'bench-server', kdf: { N: 1024, r: 8, p: 1 }, memory: { embedder: null } })
  for (let i = 0; i < 200; i++) {
    await me.memory.addText(`note ${i}: I like ${TOPICS[i % TOPICS.length]} and weekend plans number ${i}`, { visibility: i % 3 === 0 ? 'private' : 'shareable', topics: [TOPICS[i % TOPICS.length]!] })
  }
  // The bench is one peer hammering another: lift the per-peer quota out of the way.
  await me.start({ transport: TRANSPORT, listen: listenFor(0), simulation: true, rate: { capacity: 1e9, refillPerSecond: 1e9 } })
  return me
}

async function startNodes (bootstrap: string): Promise<NetNode[]> {
  const nodes: NetNode[] = []
  for (let i = 1; i < N; i++) {
    const node = await NetNode.create({
      privateKey: await generateKeyPair('Ed25519'),
      transport: TRANSPORT,
      listen: listenFor(i),
      bootstrap: [bootstrap],
      simulation: true,
      announce: false,
      profile: () => ({ displayName: `bench ${i}`, topics: [TOPICS[i % TOPICS.length]!] })
    })
    await node.start()
    await node.libp2p.handle(ECHO, async (stream) => {
      const lp = lpStream(stream)
      try {
        while (true) await lp.write(await lp.read())
      } catch { stream.abort(new Error('done')) }
    })
    await node.libp2p.handle(wireEchoSpec.id, streamHandler(wireEchoSpec, { echo: async (body) => body }, {
      privateKey: await generateKeyPair('Ed25519'),
      selfId: node.peerId,
      limiter: new RateLimiter({ capacity: 1e9, refillPerSecond: 1e9 }),
      replay: new ReplayGuard(),
      signal: new AbortController().signal
    }))
    nodes.push(node)
  }
  return nodes
}

/** One raw echo round trip: length-prefixed bytes out, the same bytes back, nothing else. */
async function rawEcho (lp: LengthPrefixedStream, payload: Uint8Array): Promise<void> {
  await lp.write(payload)
  await lp.read()
}

async function rawEchoNewStream (from: NetNode, to: NetNode, payload: Uint8Array): Promise<void> {
  const lp = lpStream(await from.libp2p.dialProtocol(to.libp2p.peerId, ECHO))
  await rawEcho(lp, payload)
  await lp.unwrap().close()
}

/**
 * Time each of `runs` once per round, in a rotating order, so load from outside the process (other
 * benchmarks on the machine) falls on all of them alike instead of on whichever block ran last.
 */
async function interleaved (runs: Array<() => Promise<unknown>>, rounds: number): Promise<number[][]> {
  const out = runs.map(() => [] as number[])
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < runs.length; j++) {
      const k = (i + j) % runs.length
      out[k]!.push((await timed(runs[k]!))[0])
    }
  }
  return out
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'secondme-bench-net-'))
  global.gc?.()
  const rss0 = process.memoryUsage().rss
  const t0 = performance.now()
  const server = await startServer(join(dir, 'server'))
  const net0 = server.net!
  const nodes = await startNodes(net0.multiaddrs()[0]!)
  const all = [net0, ...nodes]
  const startMs = performance.now() - t0
  console.log(`bench:net  ${N} nodes in one process over ${TRANSPORT}, ${ROUNDS} rounds per round-trip measure`)
  console.log(`startup                            ${fmt(startMs / N)} ms/node (${(startMs / 1000).toFixed(1)} s total)`)
  try {
    await measureDht(all)
    await measureRequests(server, nodes)
    global.gc?.()
    const rss = process.memoryUsage().rss
    console.log(`RSS                                ${mib(rss)} MiB total, ${mib((rss - rss0) / N)} MiB/node (incl. one Second Me with 200 memories)`)
  } finally {
    await Promise.all(nodes.map(async n => { await n.stop() }))
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function measureDht (all: NetNode[]): Promise<void> {
  const announce: number[] = []
  const reports: AnnounceReport[] = []
  for (const node of all) {
    const [ms, report] = await timed(async () => await node.announce())
    announce.push(ms)
    reports.push(report)
  }
  const fewest = (pick: (r: AnnounceReport) => number): number => Math.min(...reports.filter(r => r.topics > 0).map(pick))
  line('announce (profile + topic)', announce, `   records acknowledged by >= ${fewest(r => r.profilePeers)} (profile), >= ${fewest(r => r.providerPeers)} (topic) peers each`)
  const lookups: number[] = []
  let ok = 0
  for (let i = 0; i < all.length; i++) {
    const from = all[i]!
    const target = all[(i * 7 + 3) % all.length]!
    if (target === from) continue
    const [ms, found] = await timed(async () => await withDeadline(30_000, undefined, async (s) => await from.presence.lookup(target.peerId, s)).catch(() => undefined))
    lookups.push(ms)
    if (found?.profile.peerId === target.peerId) ok++
  }
  line('profile lookup', lookups, `   success ${ok}/${lookups.length} (${(100 * ok / lookups.length).toFixed(0)}%)`)
  const finds: number[] = []
  let findOk = 0
  for (let i = 0; i < all.length; i++) {
    const topic = TOPICS[i % TOPICS.length]!
    // Node j >= 1 announced TOPICS[j % TOPICS.length]; the Second Me at index 0 announced none.
    const expected = all.filter((n, j) => j > 0 && j !== i && TOPICS[j % TOPICS.length] === topic).map(n => n.peerId)
    const [ms, found] = await timed(async () => await withDeadline(30_000, undefined, async (signal) => await all[i]!.presence.findTopic(topic, { limit: 100, signal })))
    finds.push(ms)
    if (expected.every(id => found.includes(id))) findOk++
  }
  line('find peers by topic', finds, `   all announcers found ${findOk}/${finds.length} (${(100 * findOk / finds.length).toFixed(0)}%)`)
}

async function measureRequests (server: SecondMe, nodes: NetNode[]): Promise<void> {
  const client = nodes[0]!
  const echoPeer = nodes[1]!
  const handshakes: number[] = []
  for (const n of nodes.slice(1)) handshakes.push((await timed(async () => await client.client.handshake(n.peerId)))[0])
  line('handshake (new stream)', handshakes)

  const grant = (await server.policy.issue({ aud: client.peerId, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['sailing'] }, durationSec: 3600 })).token
  const query = 'weekend plans sailing'
  const first = await client.client.queryMemory(server.peerId, grant, query, 5)
  const body = { items: first }
  const payload = new TextEncoder().encode(JSON.stringify(body))
  const sessionInit = { privateKey: await generateKeyPair('Ed25519'), selfId: client.peerId }

  // New streams: each round trip dials the protocol, sends one request, reads the answer, closes.
  const newRuns = [
    async () => await client.client.queryMemory(server.peerId, grant, query, 5),
    async () => { await rawEchoNewStream(client, echoPeer, payload) },
    async () => {
      const s = await RpcSession.open(client.libp2p, echoPeer.libp2p.peerId, wireEchoSpec, sessionInit)
      await s.request('echo', body)
      await s.close()
    }
  ]
  await interleaved(newRuns, 20) // warm-up
  const [newStream = [], echoNew = [], wireNew = []] = await interleaved(newRuns, ROUNDS)

  // Reused streams: one stream per measure, opened once, many round trips on it.
  const session = await client.client.session(server.peerId, memorySpec)
  const wireSession = await RpcSession.open(client.libp2p, echoPeer.libp2p.peerId, wireEchoSpec, sessionInit)
  const lp = lpStream(await client.libp2p.dialProtocol(echoPeer.libp2p.peerId, ECHO))
  const reusedRuns = [
    async () => await session.request('query', { grant, query, k: 5 }),
    async () => { await rawEcho(lp, payload) },
    async () => await wireSession.request('echo', body)
  ]
  await interleaved(reusedRuns, 50) // warm-up
  const [reused = [], echoReused = [], wireReused = []] = await interleaved(reusedRuns, ROUNDS)
  await session.close()
  await wireSession.close()
  await lp.unwrap().close()
  console.log(`memory answer: ${first.length} items, ${payload.byteLength} bytes; echo payload is the same size; the three measures of each kind are interleaved round by round`)
  const qn = line('memory query, new stream', newStream)
  const en = line('raw echo, new stream', echoNew)
  const qr = line('memory query, reused stream', reused)
  const er = line('raw echo, reused stream', echoReused)
  const wn = line('wire stack echo, new stream', wireNew)
  const wr = line('wire stack echo, reused stream', wireReused)
  console.log(`ratio wire stack/raw echo (p50)    new stream ${(wn.p50 / en.p50).toFixed(2)}x   reused stream ${(wr.p50 / er.p50).toFixed(2)}x   (target <= 1.5x)`)
  console.log(`ratio memory query/raw echo (p50)  new stream ${(qn.p50 / en.p50).toFixed(2)}x   reused stream ${(qr.p50 / er.p50).toFixed(2)}x   (includes grant check, recall, audit write)`)
  await serverParts(server, client.peerId, grant, query)
}

/** The memory handler's own steps, called in-process the way it calls them: what of a query is not wire. */
async function serverParts (server: SecondMe, peer: string, grant: Record<string, unknown>, query: string): Promise<void> {
  const deps = netDepsOf(server)
  const scope = await deps.grants!.check(grant, { peer, action: 'memory:read' })
  const ids = (await deps.recall!.recall(query, scope, 5)).map(m => m.id)
  const [check = [], recall = [], audit = []] = await interleaved([
    async () => await deps.grants!.check(grant, { peer, action: 'memory:read' }),
    async () => await deps.recall!.recall(query, scope, 5),
    async () => { await deps.audit!.append({ kind: 'disclose', peer, protocol: memorySpec.id, action: 'memory:read', items: ids }) }
  ], ROUNDS)
  const [c, r, a] = [stats(check).p50, stats(recall).p50, stats(audit).p50]
  console.log(`memory query server steps (p50)    grant check ${fmt(c)} ms   recall ${fmt(r)} ms   audit write ${fmt(a)} ms   (sum ${fmt(c + r + a)} ms, in-process)`)
}

/** One spinning process per core: another program keeping the machine busy. */
function startLoad (): ChildProcess[] {
  if (args.load !== true) return []
  const spinners = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
  process.once('exit', () => { for (const s of spinners) s.kill('SIGKILL') })
  return spinners
}

const spinners = startLoad()
try {
  if (args.flood === true) await runFlood(Math.max(3, Number(args.seconds)), Math.max(1, Number(args.concurrency)))
  else await main()
} finally {
  for (const s of spinners) s.kill('SIGKILL')
  console.log(`load average at the end ${loadavg().map(l => l.toFixed(2)).join(' ')}${spinners.length > 0 ? ` (with --load: ${spinners.length} spinning processes)` : ''}`)
}
