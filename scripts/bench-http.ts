// npm run bench:http — the same ops in-process vs over HTTP (/api, /v1) vs over MCP (/mcp):
// recall, ask without a model (extractive), and streamed ask with a GGUF model (time to first token);
// then N concurrent HTTP clients for S seconds (errors, throughput, p50/p95, the server's memory).
// Flags: --clients 50 --seconds 30 --n 200 --ttft 12. Env: SECONDME_BENCH_MODEL (default
// ../shared/models/stories260K.gguf). The server's rate limit is raised for the soak (it would
// otherwise, by design, answer 429 to one client sending thousands of requests a second).
// HTTP is timed with two clients, each against a bare node:http server as its floor: node:http with a
// keep-alive Agent (what a tool calling the API in a loop uses) and fetch (undici, which on Node 20
// costs about 1 ms a request more on its own). The soak's clients run in a child process, so the
// memory measured is the server's alone. /api/recall is also timed from a client in another process,
// and the load average is printed at the start and the end (2 cores shared: timings move with it).
import '../src/polyfill.js'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fork } from 'node:child_process'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import OpenAI from 'openai'
import { call, runOp } from '../src/ops.js'
import { readConfig, writeConfig } from '../src/config.js'
import { readOrCreateToken, startHttpServer } from '../src/http/index.js'
import { SecondMe } from '../src/node.js'

const ROOT = resolve(import.meta.dirname, '..')
const MODEL = process.env.SECONDME_BENCH_MODEL ?? resolve(ROOT, '..', 'shared', 'models', 'stories260K.gguf')
const LOCOMO = resolve(ROOT, '..', 'shared', 'data', 'locomo', 'dev.json')
const { values: flags } = parseArgs({ options: { clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '30' }, n: { type: 'string', default: '200' }, ttft: { type: 'string', default: '12' } } })
const CLIENTS = Number(flags.clients)
const SECONDS = Number(flags.seconds)
const N = Number(flags.n)
const TTFT_N = Number(flags.ttft)
/** Set in a child process (the clients of the soak, or of the other-process timing): the JSON of a ChildJob. */
const CHILD_JOB = process.env.SECONDME_BENCH_HTTP_CHILD
const MiB = 1024 * 1024

interface Sample { sample_id: string, conversation: { speaker_a: string }, qa: Array<{ question: string }> }

function pct (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? NaN)
}

/** Each door on the same query in turn (interleaved), so caches and machine load treat them alike. */
async function timeAll (n: number, queries: string[], fns: Array<(q: string) => Promise<unknown>>): Promise<number[][]> {
  for (let i = 0; i < 5; i++) for (const fn of fns) await fn(queries[i % queries.length] ?? 'x') // warm-up
  const out: number[][] = fns.map(() => [])
  for (let i = 0; i < n; i++) {
    const q = queries[i % queries.length] ?? 'x'
    for (const [j, fn] of fns.entries()) {
      const t0 = performance.now()
      await fn(q)
      out[j]?.push(performance.now() - t0)
    }
  }
  return out
}

function row (label: string, xs: number[], base?: number[]): string {
  const p50 = pct(xs, 0.5)
  const added = p50 - pct(base ?? [], 0.5)
  const extra = base === undefined ? '' : `  ${added >= 0 ? '+' : ''}${added.toFixed(2)} ms p50  x${(p50 / pct(base, 0.5)).toFixed(2)}`
  return `${label.padEnd(46)} p50 ${p50.toFixed(2).padStart(8)} ms  p95 ${pct(xs, 0.95).toFixed(2).padStart(8)} ms${extra}`
}

async function openHome (dir: string, sample: Sample): Promise<SecondMe> {
  const first = await SecondMe.init({ home: dir, passphrase: 'pw', kdf: { N: 2 ** 10, r: 8, p: 1 }, displayName: sample.conversation.speaker_a, memory: { embedder: null } })
  await first.close()
  const config = await readConfig(join(dir, 'config.json'))
  await writeConfig(join(dir, 'config.json'), { ...config, model: { threads: 1, contextSize: 1024, gpu: false, maxTokens: 32 } })
  const me = await SecondMe.open({ home: dir, passphrase: 'pw', memory: { embedder: null } })
  const file = join(dir, `${sample.sample_id}.json`)
  await writeFile(file, JSON.stringify([sample]))
  await me.memory.ingest([file], { embed: false })
  return me
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'secondme-bench-http-'))
  const samples = JSON.parse(await readFile(LOCOMO, 'utf8')) as Sample[]
  const sample = samples[0]
  if (sample === undefined) throw new Error('no LoCoMo sample')
  const me = await openHome(join(dir, 'home'), sample)
  const server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, config: { rate: { perSecond: 1_000_000, burst: 1_000_000 } } })
  const token = await readOrCreateToken(me.paths.root)
  const queries = sample.qa.map(q => q.question).slice(0, 100)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const mcp = new Client({ name: 'bench', version: '1' })
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
  const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: token, maxRetries: 0 })
  try {
    console.log(`bench:http — ${me.memory.size} memories (LoCoMo ${sample.sample_id}, lexical recall), n=${N} per door; ${load()}`)
    const { recallIn, added } = await timeRecall(me, server.url, headers, mcp, queries)
    await timeOtherProcess(server.url, token, queries, recallIn)
    const m = Math.max(20, Math.floor(N / 4))
    const [askIn = [], askHttp = [], askMcp = []] = await timeAll(m, queries, [
      async q => await runOp(me, 'ask', { question: q }),
      async q => await openai.chat.completions.create({ model: 'secondme', messages: [{ role: 'user', content: q }] }),
      async q => await mcp.callTool({ name: 'ask', arguments: { question: q } })
    ])
    console.log(row('ask (extractive) in-process', askIn))
    console.log(row('ask (extractive) /v1/chat', askHttp, askIn))
    console.log(row('ask (extractive) MCP', askMcp, askIn))
    // Before the model is loaded: its memory is given back some time after model.unuse.
    const soaked = await soak(server.url, token, queries)
    const ttftRatio = await ttft(me, openai, queries)
    console.log(`end: ${load()}`)
    printTargets(added, ttftRatio, soaked)
  } finally {
    await mcp.close()
    await server.close()
    await me.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** The machine's load: the timings here move with it (2 cores shared with other work). */
function load (): string {
  return `load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`
}

/** Run a child process of this script on `job`; resolves with what it sends back. */
async function inChild<R> (job: ChildJob): Promise<R> {
  const child = fork(import.meta.filename, [], { env: { ...process.env, SECONDME_BENCH_HTTP_CHILD: JSON.stringify(job) } })
  return await new Promise<R>((resolve, reject) => {
    child.once('message', m => { resolve(m as R) })
    child.once('exit', code => { reject(new Error(`bench child exited with ${code ?? '?'}`)) })
  })
}

/** A bare node:http server answering `{}`: what any HTTP hop costs here, with the same client. */
async function bareServer (): Promise<{ url: string, close: () => void }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{}') })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => { server.closeAllConnections(); server.close() }
  }
}

type Post = (path: string, body: unknown) => Promise<unknown>

/** POST JSON with node:http over keep-alive sockets (at most `sockets` at a time). */
function keepAliveClient (base: string, headers: Record<string, string>, sockets = 1): { post: Post, close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets })
  const url = new URL(base)
  const post: Post = async (path, body) => await new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    const req = request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(data)) } }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode ?? '?'}`))
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(data)
  })
  return { post, close: () => { agent.destroy() } }
}

function fetchClient (base: string, headers: Record<string, string>): Post {
  return async (path, body) => {
    const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) })
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    return await res.json()
  }
}

/** Recall in-process vs /api/recall (two clients, each with its own floor) vs MCP tools/call. */
async function timeRecall (me: SecondMe, url: string, headers: Record<string, string>, mcp: Client, queries: string[]): Promise<{ recallIn: number[], added: number }> {
  const bare = await bareServer()
  const node = keepAliveClient(url, headers)
  const nodeBare = keepAliveClient(bare.url, { 'content-type': 'application/json' })
  const fetchApi = fetchClient(url, headers)
  const fetchBare = fetchClient(bare.url, { 'content-type': 'application/json' })
  try {
    const [floorNode = [], floorFetch = [], recallIn = [], recallNode = [], recallFetch = [], recallMcp = []] = await timeAll(N, queries, [
      async q => await nodeBare.post('/', { query: q, k: 10 }),
      async q => await fetchBare('/', { query: q, k: 10 }),
      async q => await runOp(me, 'recall', { query: q, k: 10 }),
      async q => await node.post('/api/recall', { query: q, k: 10 }),
      async q => await fetchApi('/api/recall', { query: q, k: 10 }),
      async q => await mcp.callTool({ name: 'recall', arguments: { query: q, k: 10 } })
    ])
    console.log(row('floor: bare node:http POST (node:http client)', floorNode))
    console.log(row('floor: bare node:http POST (fetch client)', floorFetch))
    console.log(row('recall in-process', recallIn))
    console.log(row('recall HTTP /api/recall (node:http client)', recallNode, recallIn))
    console.log(row('recall HTTP /api/recall (fetch client)', recallFetch, recallIn))
    console.log(row('recall MCP /mcp tools/call', recallMcp, recallIn))
    const over = (xs: number[], floor: number[]): string => {
      const ms = pct(xs, 0.5) - pct(recallIn, 0.5) - pct(floor, 0.5)
      return `${ms >= 0 ? '+' : ''}${ms.toFixed(2)}`
    }
    console.log(`our server over the floor (HTTP - in-process - floor, p50): node:http client ${over(recallNode, floorNode)} ms, fetch client ${over(recallFetch, floorFetch)} ms`)
    return { recallIn, added: pct(recallNode, 0.5) - pct(recallIn, 0.5) }
  } finally {
    node.close()
    nodeBare.close()
    bare.close()
  }
}

/**
 * The same /api/recall from a client in another process (as a real tool calls it): the client's own
 * work no longer shares this process's event loop, but both share the 2 cores.
 */
async function timeOtherProcess (url: string, token: string, queries: string[], recallIn: number[]): Promise<void> {
  const bare = await bareServer()
  try {
    const [floor = [], recall = []] = await inChild<number[][]>({ kind: 'time', url, bareUrl: bare.url, token, queries, n: N })
    console.log(row('other process: floor bare node:http POST', floor))
    console.log(row('other process: recall HTTP /api/recall', recall, recallIn))
    const over = pct(recall, 0.5) - pct(recallIn, 0.5) - pct(floor, 0.5)
    console.log(`other process: our server over the floor (HTTP - in-process - floor, p50): ${over >= 0 ? '+' : ''}${over.toFixed(2)} ms`)
  } finally {
    bare.close()
  }
}

/** In the child: bare floor and /api/recall in turn, node:http keep-alive clients. */
async function timeClients (job: TimeJob): Promise<number[][]> {
  const api = keepAliveClient(job.url, { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' })
  const bare = keepAliveClient(job.bareUrl, { 'content-type': 'application/json' })
  try {
    return await timeAll(job.n, job.queries, [
      async q => await bare.post('/', { query: q, k: 10 }),
      async q => await api.post('/api/recall', { query: q, k: 10 })
    ])
  } finally {
    api.close()
    bare.close()
  }
}

/** Time to the first streamed token: in-process ask (onText) vs /v1/chat/completions stream. */
async function ttft (me: SecondMe, openai: OpenAI, queries: string[]): Promise<number> {
  const model = await call(me, 'model.add', { file: MODEL })
  await runOp(me, 'model.use', { id: model.id })
  const first = async (start: (onText: () => void) => Promise<unknown>): Promise<number> => {
    const t0 = performance.now()
    let at = NaN
    await start(() => { if (Number.isNaN(at)) at = performance.now() - t0 })
    return at
  }
  // Warm-up: the model loads on the first ask.
  for (const q of queries.slice(0, 2)) await runOp(me, 'ask', { question: q })
  const ttIn: number[] = []
  const ttHttp: number[] = []
  for (let i = 0; i < TTFT_N; i++) {
    const q = queries[i % queries.length] ?? 'x'
    ttIn.push(await first(async on => await runOp(me, 'ask', { question: q }, { onText: on })))
    ttHttp.push(await first(async on => {
      const stream = await openai.chat.completions.create({ model: 'secondme', stream: true, messages: [{ role: 'user', content: q }] })
      for await (const chunk of stream) if ((chunk.choices[0]?.delta.content ?? '') !== '') on()
    }))
  }
  console.log(`model ${MODEL.split('/').pop() ?? MODEL}, n=${TTFT_N} (interleaved)`)
  console.log(row('ask TTFT in-process (onText)', ttIn))
  console.log(row('ask TTFT /v1/chat stream (SSE)', ttHttp, ttIn))
  await runOp(me, 'model.unuse', {})
  return pct(ttHttp, 0.5) / pct(ttIn, 0.5)
}

/** The issue's targets, each with the line it is read from, so a run says plainly what it met. */
function printTargets (added: number, ttftRatio: number, soaked: SoakSummary): void {
  const verdict = (ok: boolean): string => ok ? 'met' : 'MISSED'
  console.log('targets:')
  console.log(`  HTTP adds <= 1 ms p50 to recall (recall HTTP /api/recall, node:http client): ${added >= 0 ? '+' : ''}${added.toFixed(2)} ms  ${verdict(added <= 1)}`)
  console.log(`  streamed chat TTFT within 1.1x of in-process ask: x${ttftRatio.toFixed(2)}  ${verdict(ttftRatio <= 1.1)}`)
  console.log(`  soak: no errors: ${soaked.errors}  ${verdict(soaked.errors === 0)}`)
  console.log(`  soak: server RSS growth < 50 MiB (peak under load): +${soaked.peakGrowthMiB.toFixed(1)} MiB  ${verdict(soaked.peakGrowthMiB < 50)}`)
}

interface SoakJob { kind: 'soak', url: string, token: string, queries: string[], clients: number, seconds: number }
interface TimeJob { kind: 'time', url: string, bareUrl: string, token: string, queries: string[], n: number }
type ChildJob = SoakJob | TimeJob
interface SoakResult { latencies: number[], errors: Record<string, number> }

/** The soak's child process: `clients` loops, each on its own keep-alive socket, until time is up. */
async function soakClients (job: SoakJob): Promise<SoakResult> {
  const { post, close } = keepAliveClient(job.url, { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' }, job.clients)
  const end = performance.now() + job.seconds * 1000
  const latencies: number[] = []
  const errors: Record<string, number> = {}
  await Promise.all(Array.from({ length: job.clients }, async (_x, c) => {
    for (let i = c; performance.now() < end; i += job.clients) {
      const t0 = performance.now()
      try {
        await post('/api/recall', { query: job.queries[i % job.queries.length], k: 10 })
        latencies.push(performance.now() - t0)
      } catch (err) {
        const kind = err instanceof Error ? err.message : String(err)
        errors[kind] = (errors[kind] ?? 0) + 1
      }
    }
  }))
  close()
  return { latencies, errors }
}

/** A full collection, then a moment for finalizers to run. */
async function collect (ms = 100): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc (npm run bench:http does)')
  gc()
  await new Promise(resolve => setTimeout(resolve, ms))
  gc()
  return process.memoryUsage()
}

/**
 * Collect once a second until RSS moves by less than 1 MiB (at most 15 s): V8 gives back the heap it
 * grew under load, and the model's memory after model.unuse, only some seconds later.
 */
async function settle (): Promise<NodeJS.MemoryUsage> {
  let last = await collect()
  for (let i = 0; i < 15; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000))
    const now = await collect()
    const still = Math.abs(now.rss - last.rss) < MiB
    last = now
    if (still) break
  }
  return last
}

/**
 * CLIENTS concurrent clients (a child process) calling /api/recall for SECONDS: errors, throughput,
 * latency, and this process's memory (from a settled start): RSS at its peak under load, at the end,
 * right after a collection and once settled; the live heap (after a collection) at the start,
 * half-way and the end shows whether anything is retained per request.
 */
interface SoakSummary { errors: number, peakGrowthMiB: number }

async function soak (url: string, token: string, queries: string[]): Promise<SoakSummary> {
  const start = await settle()
  let peak = start.rss
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 200)
  let half: NodeJS.MemoryUsage | undefined
  const halfway = setTimeout(() => { void collect(0).then(m => { half = m }) }, SECONDS * 500)
  const result = await inChild<SoakResult>({ kind: 'soak', url, token, queries, clients: CLIENTS, seconds: SECONDS })
  clearInterval(sampler)
  clearTimeout(halfway)
  const atEnd = process.memoryUsage()
  const end = await collect()
  const settled = await settle()
  const { latencies: lat, errors } = result
  const nErrors = Object.values(errors).reduce((a, b) => a + b, 0)
  const grown = (rss: number): string => `${rss >= start.rss ? '+' : ''}${((rss - start.rss) / MiB).toFixed(1)}`
  const heap = (m: NodeJS.MemoryUsage | undefined): string => m === undefined ? '?' : (m.heapUsed / MiB).toFixed(1)
  console.log(`soak: ${CLIENTS} clients x ${SECONDS} s on /api/recall (node:http keep-alive, another process): ${lat.length} ok, ${nErrors} errors${nErrors > 0 ? ` (${Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}, ${(lat.length / SECONDS).toFixed(0)} req/s, p50 ${pct(lat, 0.5).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms`)
  console.log(`soak server RSS ${(start.rss / MiB).toFixed(1)} MiB at the start; growth: peak under load ${grown(peak)} MiB, at the end ${grown(atEnd.rss)} MiB, after gc ${grown(end.rss)} MiB, settled ${grown(settled.rss)} MiB`)
  console.log(`soak server live heap (after gc): start ${heap(start)} MiB, half-way ${heap(half)} MiB, end ${heap(end)} MiB, settled ${heap(settled)} MiB (second half ${half === undefined ? '?' : `${end.heapUsed >= half.heapUsed ? '+' : ''}${((end.heapUsed - half.heapUsed) / MiB).toFixed(1)}`} MiB)`)
  return { errors: nErrors, peakGrowthMiB: (peak - start.rss) / MiB }
}

if (CHILD_JOB === undefined) {
  await main()
} else {
  const job = JSON.parse(CHILD_JOB) as ChildJob
  const result = job.kind === 'soak' ? await soakClients(job) : await timeClients(job)
  // Disconnecting before the send completes can drop the message (23,000 latencies are large).
  process.send?.(result, undefined, {}, () => { process.disconnect?.() })
}
