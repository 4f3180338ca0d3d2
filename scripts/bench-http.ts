// npm run bench:http — the same ops in-process vs over HTTP (/api, /v1) vs over MCP (/mcp):
// recall, ask without a model (extractive), and streamed ask with a GGUF model (time to first token);
// then N concurrent HTTP clients for S seconds (errors, throughput, p50/p95, RSS growth).
// Flags: --clients 50 --seconds 30 --n 200 --ttft 12. Env: SECONDME_BENCH_MODEL (default
// ../shared/models/stories260K.gguf). The server's rate limit is raised for the soak (it would
// otherwise, by design, answer 429 to one client sending thousands of requests a second).
import '../src/polyfill.js'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createServer } from 'node:http'
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
  const extra = base === undefined ? '' : `  +${(p50 - pct(base, 0.5)).toFixed(2)} ms p50  x${(p50 / pct(base, 0.5)).toFixed(2)}`
  return `${label.padEnd(34)} p50 ${p50.toFixed(2).padStart(8)} ms  p95 ${pct(xs, 0.95).toFixed(2).padStart(8)} ms${extra}`
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
    console.log(`bench:http — ${me.memory.size} memories (LoCoMo ${sample.sample_id}, lexical recall), n=${N} per door`)
    const post = async (path: string, body: unknown): Promise<unknown> => {
      const res = await fetch(server.url + path, { method: 'POST', headers, body: JSON.stringify(body) })
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
      return await res.json()
    }
    const floor = await rawHttpFloor(queries)
    const [recallIn = [], recallHttp = [], recallMcp = []] = await timeAll(N, queries, [
      async q => await runOp(me, 'recall', { query: q, k: 10 }),
      async q => await post('/api/recall', { query: q, k: 10 }),
      async q => await mcp.callTool({ name: 'recall', arguments: { query: q, k: 10 } })
    ])
    console.log(row('floor: bare node:http POST {}', floor))
    console.log(row('recall in-process', recallIn))
    console.log(row('recall HTTP /api/recall', recallHttp, recallIn))
    console.log(row('recall MCP /mcp tools/call', recallMcp, recallIn))
    const m = Math.max(20, Math.floor(N / 4))
    const [askIn = [], askHttp = [], askMcp = []] = await timeAll(m, queries, [
      async q => await runOp(me, 'ask', { question: q }),
      async q => await openai.chat.completions.create({ model: 'secondme', messages: [{ role: 'user', content: q }] }),
      async q => await mcp.callTool({ name: 'ask', arguments: { question: q } })
    ])
    console.log(row('ask (extractive) in-process', askIn))
    console.log(row('ask (extractive) /v1/chat', askHttp, askIn))
    console.log(row('ask (extractive) MCP', askMcp, askIn))
    await ttft(me, openai, queries)
    await soak(server.url, headers, queries)
  } finally {
    await mcp.close()
    await server.close()
    await me.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** The same fetch against a bare node:http server answering `{}`: what any HTTP hop costs here. */
async function rawHttpFloor (queries: string[]): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{}') })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  try {
    const [floor = []] = await timeAll(N, queries, [async q => await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) })).json()])
    return floor
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

/** Time to the first streamed token: in-process ask (onText) vs /v1/chat/completions stream. */
async function ttft (me: SecondMe, openai: OpenAI, queries: string[]): Promise<void> {
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
}

/** CLIENTS concurrent clients calling /api/recall for SECONDS: errors, throughput, latency, RSS. */
async function soak (url: string, headers: Record<string, string>, queries: string[]): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const rss0 = process.memoryUsage().rss
  const end = performance.now() + SECONDS * 1000
  const lat: number[] = []
  let errors = 0
  const errorKinds = new Map<string, number>()
  await Promise.all(Array.from({ length: CLIENTS }, async (_x, c) => {
    for (let i = c; performance.now() < end; i += CLIENTS) {
      const t0 = performance.now()
      try {
        const res = await fetch(url + '/api/recall', { method: 'POST', headers, body: JSON.stringify({ query: queries[i % queries.length], k: 10 }) })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`status ${res.status}`)
        lat.push(performance.now() - t0)
      } catch (err) {
        errors++
        const kind = err instanceof Error ? err.message : String(err)
        errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1)
      }
    }
  }))
  gc?.()
  const grownMiB = (process.memoryUsage().rss - rss0) / 1024 / 1024
  console.log(`soak: ${CLIENTS} clients x ${SECONDS} s on /api/recall: ${lat.length} ok, ${errors} errors${errors > 0 ? ` (${[...errorKinds].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}, ${(lat.length / SECONDS).toFixed(0)} req/s, p50 ${pct(lat, 0.5).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms, RSS growth ${grownMiB.toFixed(1)} MiB (bench and server share the process)`)
}

await main()
