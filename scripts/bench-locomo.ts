// LoCoMo turn-retrieval benchmark: for each conversation, a fresh node ingests it (parse, encrypt,
// index, embed), then every question is recalled (top 50 dialogue ids). Rankings are scored by the
// independent ../shared/bench/locomo-score.mjs, next to plain BM25 over the same turns.
//
// usage: npm run bench:locomo -- --data ../shared/data/locomo/dev.json --out rankings.jsonl [--no-embed] [--limit N]
import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { SecondMe } from '../src/node.js'
import { WorkerEmbedder } from '../src/memory/worker-embedder.js'
import { loadLine, loadSamples, percentile, withConversation, type Sample } from './locomo-bench.js'
import type { Embedder } from '../src/model/embedder.js'

interface Turn { dia_id: string, text: string }

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    out: { type: 'string', default: 'locomo-rankings.jsonl' },
    scorer: { type: 'string', default: '../shared/bench/locomo-score.mjs' },
    'no-embed': { type: 'boolean', default: false },
    limit: { type: 'string' }
  }
})

const STOP = new Set('a an and are as at be but by for from has have i if in into is it its of on or that the their then there these they this to was were will with what when where who why how did do does you your my me we our he she his her him them'.split(' '))

function plainTerms (text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter(t => !STOP.has(t))
}

/** Plain Okapi BM25 (k1 1.2, b 0.75) over each turn's own text: the baseline. */
function bm25Rank (turns: Turn[], question: string): string[] {
  const docs = turns.map(t => { const list = plainTerms(t.text); const tf = new Map<string, number>(); for (const x of list) tf.set(x, (tf.get(x) ?? 0) + 1); return { id: t.dia_id, tf, len: list.length } })
  const avg = docs.reduce((a, d) => a + d.len, 0) / Math.max(1, docs.length)
  const df = new Map<string, number>()
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1)
  const q = [...new Set(plainTerms(question))]
  return docs.map(d => {
    let s = 0
    for (const t of q) {
      const f = d.tf.get(t) ?? 0
      if (f === 0) continue
      const n = df.get(t) ?? 0
      s += Math.log(1 + (docs.length - n + 0.5) / (n + 0.5)) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * d.len / avg))
    }
    return { id: d.id, s }
  }).sort((a, b) => b.s - a.s).slice(0, 50).map(d => d.id)
}

/** Remembers document vectors so the 3k-turn latency node does not embed the same turns twice. */
class MemoEmbedder implements Embedder {
  readonly id: string
  readonly dimension: number
  readonly #inner: Embedder
  readonly #cache = new Map<string, Float32Array>()
  /** Queries are never served from the cache: their embedding time belongs to recall latency. */
  caching = true

  constructor (inner: Embedder) {
    this.#inner = inner
    this.id = inner.id
    this.dimension = inner.dimension
  }

  async embed (texts: string[]): Promise<Float32Array[]> {
    if (!this.caching) return await this.#inner.embed(texts)
    const missing = [...new Set(texts.filter(t => !this.#cache.has(t)))]
    const vectors = missing.length === 0 ? [] : await this.#inner.embed(missing)
    missing.forEach((t, i) => { const v = vectors[i]; if (v !== undefined) this.#cache.set(t, v) })
    return texts.map(t => this.#cache.get(t) ?? new Float32Array(this.dimension))
  }

  async close (): Promise<void> {
    await this.#inner.close()
  }
}

/** One node holding every conversation (~3k turns): the latency the target is about. */
async function latencyAtScale (data: string, samples: Sample[], embedder: MemoEmbedder | null, work: string): Promise<{ turns: number, latencies: number[], embedOnly: number[] }> {
  const me = await SecondMe.init({ home: join(work, 'all'), passphrase: 'bench', kdf: { N: 2 ** 10, r: 8, p: 1 }, memory: { embedder } })
  try {
    if (embedder !== null) embedder.caching = true
    await me.memory.ingest([data])
    if (embedder !== null) embedder.caching = false
    const latencies: number[] = []
    for (const q of samples.flatMap(s => s.qa)) {
      const t = performance.now()
      await me.memory.recall(q.question, { k: 50 })
      latencies.push(performance.now() - t)
    }
    // The share of the query embedding in that latency (the model call alone, same queries).
    const embedOnly: number[] = []
    for (const q of samples.flatMap(s => s.qa).slice(0, embedder === null ? 0 : 300)) {
      const t = performance.now()
      await embedder?.embed([q.question])
      embedOnly.push(performance.now() - t)
    }
    return { turns: me.memory.size, latencies: latencies.sort((a, b) => a - b), embedOnly: embedOnly.sort((a, b) => a - b) }
  } finally {
    await me.close()
  }
}

function turnsOf (sample: Sample): Turn[] {
  return Object.entries(sample.conversation).filter(([k, v]) => /^session_\d+$/.test(k) && Array.isArray(v)).flatMap(([, v]) => v as Turn[])
}

async function runSample (sample: Sample, embedder: MemoEmbedder | null, work: string): Promise<{ lines: string[], turns: number, ingestMs: number, latencies: number[] }> {
  // Document vectors are cached across nodes; query embeddings never are (they belong to recall latency).
  const cacheDocuments = async (): Promise<void> => { if (embedder !== null) embedder.caching = true }
  return await withConversation(sample, work, embedder, async ({ me, turns, ingestMs }) => {
    if (embedder !== null) embedder.caching = false
    const refOf = new Map(me.memory.list().map(i => [i.id, i.ref ?? i.id]))
    const lines: string[] = []
    const latencies: number[] = []
    for (const [qa, q] of sample.qa.entries()) {
      const t = performance.now()
      const hits = await me.memory.recall(q.question, { k: 50 })
      latencies.push(performance.now() - t)
      lines.push(JSON.stringify({ sample_id: sample.sample_id, qa, ranked: hits.map(h => refOf.get(h.id) ?? h.id) }))
    }
    return { lines, turns, ingestMs, latencies }
  }, cacheDocuments)
}

function score (scorer: string, data: string, rankings: string): string {
  return execFileSync(process.execPath, [scorer, data, rankings], { encoding: 'utf8' })
}

async function main (): Promise<void> {
  const data = resolve(values.data)
  const out = resolve(values.out)
  const samples = await loadSamples(data, values.limit)
  const embedder = values['no-embed'] ? null : new MemoEmbedder(new WorkerEmbedder())
  const work = await mkdtemp(join(tmpdir(), 'bench-locomo-'))
  const lines: string[] = []
  const baseline: string[] = []
  const latencies: number[] = []
  let turns = 0
  let ingestMs = 0
  try {
    for (const sample of samples) {
      const r = await runSample(sample, embedder, work)
      lines.push(...r.lines)
      latencies.push(...r.latencies)
      turns += r.turns
      ingestMs += r.ingestMs
      const all = turnsOf(sample)
      sample.qa.forEach((q, qa) => baseline.push(JSON.stringify({ sample_id: sample.sample_id, qa, ranked: bm25Rank(all, q.question) })))
      console.error(`${sample.sample_id}: ${r.turns} turns in ${(r.ingestMs / 1000).toFixed(1)} s, ${r.lines.length} questions`)
    }
    await writeFile(out, lines.join('\n') + '\n')
    const baselineFile = join(work, 'bm25.jsonl')
    await writeFile(baselineFile, baseline.join('\n') + '\n')
    const scorer = resolve(values.scorer)
    console.log(`secondme recall (${embedder === null ? 'lexical only' : embedder.id}) — rankings in ${out}`)
    console.log(score(scorer, data, out))
    console.log('plain BM25 (turn text, k1 1.2, b 0.75)')
    console.log(score(scorer, data, baselineFile))
    latencies.sort((a, b) => a - b)
    console.log(`ingest: ${turns} turns in ${(ingestMs / 1000).toFixed(1)} s = ${(turns / (ingestMs / 1000)).toFixed(1)} turns/s (parse + encrypt + index${embedder === null ? '' : ' + embed'})`)
    console.log(`recall latency per conversation (${latencies.length} queries, k=50): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms`)
    const scale = await latencyAtScale(data, samples, embedder, work)
    console.log(`recall latency on one node with ${scale.turns} turns (${scale.latencies.length} queries, k=50): p50 ${percentile(scale.latencies, 0.5).toFixed(1)} ms, p95 ${percentile(scale.latencies, 0.95).toFixed(1)} ms`)
    if (scale.embedOnly.length > 0) console.log(`  of which the query embedding alone: p50 ${percentile(scale.embedOnly, 0.5).toFixed(1)} ms, p95 ${percentile(scale.embedOnly, 0.95).toFixed(1)} ms`)
    console.log(loadLine())
  } finally {
    await embedder?.close()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
