// LoCoMo question answering through the `ask` pipeline: for each conversation a fresh node ingests
// it (parse, encrypt, index, embed), then every question is asked as the owner would (recall + the
// answerer, extractive without a model). Answers are scored by the independent
// ../shared/bench/locomo-qa-score.mjs (the dataset's own F1); answer latency p50/p95 is printed beside.
//
// usage: npm run bench:qa -- --data ../shared/data/locomo/dev.json --out answers.jsonl
//          [--model file.gguf] [--no-embed] [--limit N] [--questions N] [--dump evidence.jsonl]
// --questions N keeps every k-th question of each conversation (about N, all categories), for slow model runs.
import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ask } from '../src/agent/ask.js'
import { WorkerEmbedder } from '../src/memory/worker-embedder.js'
import type { SecondMe } from '../src/node.js'
import { loadLine, loadSamples, percentile, withConversation, type Sample } from './locomo-bench.js'


const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    out: { type: 'string', default: 'answers.jsonl' },
    scorer: { type: 'string', default: '../shared/bench/locomo-qa-score.mjs' },
    model: { type: 'string' },
    'no-embed': { type: 'boolean', default: false },
    limit: { type: 'string' },
    questions: { type: 'string' },
    k: { type: 'string' },
    // Each question's recalled memories, to work on the answerer offline without re-ingesting.
    dump: { type: 'string' }
  }
})

interface SampleRun { lines: string[], dumps: string[], latencies: number[], turns: number, ingestMs: number }

async function runSample (sample: Sample, work: string, embedder: WorkerEmbedder | null): Promise<SampleRun> {
  const model = values.model
  const useModel = model === undefined ? undefined : async (me: SecondMe): Promise<void> => { await me.models.registry.use((await me.models.registry.add(resolve(model))).id) }
  return await withConversation(sample, work, embedder, async ({ me, turns, ingestMs }) => {
    const run: SampleRun = { lines: [], dumps: [], latencies: [], turns, ingestMs }
    const refOf = new Map(me.memory.list().map(i => [i.id, i.ref]))
    for (const [qa, q] of sample.qa.entries()) {
      const t = performance.now()
      const r = await ask(me, q.question, values.k === undefined ? {} : { k: Number(values.k) })
      run.latencies.push(performance.now() - t)
      run.lines.push(JSON.stringify({ sample_id: sample.sample_id, qa, answer: r.answer ?? r.text, cited: r.cited }))
      if (values.dump !== undefined) run.dumps.push(JSON.stringify({ sample_id: sample.sample_id, qa, question: q.question, memories: r.memories.map(m => ({ ...m, ref: refOf.get(m.id) })) }))
    }
    return run
  }, useModel)
}

/** Every k-th question of each sample, so about `n` remain per sample (categories stay mixed). */
function thin (samples: Sample[], n: string | undefined): Sample[] {
  if (n === undefined) return samples
  return samples.map(s => { const step = Math.max(1, Math.ceil(s.qa.length / Number(n))); return { ...s, qa: s.qa.filter((_, i) => i % step === 0) } })
}

async function main (): Promise<void> {
  const data = resolve(values.data)
  const samples = thin(await loadSamples(data, values.limit), values.questions)
  const embedder = values['no-embed'] ? null : new WorkerEmbedder()
  const work = await mkdtemp(join(tmpdir(), 'bench-qa-'))
  const lines: string[] = []
  const dumps: string[] = []
  const latencies: number[] = []
  let turns = 0
  let ingestMs = 0
  try {
    for (const sample of samples) {
      const r = await runSample(sample, work, embedder)
      lines.push(...r.lines)
      dumps.push(...r.dumps)
      latencies.push(...r.latencies)
      turns += r.turns
      ingestMs += r.ingestMs
      console.error(`${sample.sample_id}: ${r.turns} turns ingested in ${(r.ingestMs / 1000).toFixed(1)} s, ${r.lines.length} questions answered`)
    }
    const out = resolve(values.out)
    await writeFile(out, lines.join('\n') + '\n')
    if (values.dump !== undefined) await writeFile(resolve(values.dump), dumps.join('\n') + '\n')
    const whole = values.limit === undefined && values.questions === undefined
    const subset = whole ? data : join(work, 'subset.json')
    if (!whole) await writeFile(subset, JSON.stringify(samples))
    const how = `${values.model === undefined ? 'no model (extractive)' : `model ${values.model}`}, recall ${embedder === null ? 'lexical only' : embedder.id}`
    console.log(`secondme ask — ${how} — answers in ${out}`)
    console.log(execFileSync(process.execPath, [resolve(values.scorer), subset, out], { encoding: 'utf8' }))
    latencies.sort((a, b) => a - b)
    console.log(`answer latency (recall + answer, ${latencies.length} questions): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms`)
    console.log(`ingest: ${turns} turns in ${(ingestMs / 1000).toFixed(1)} s`)
    console.log(loadLine())
  } finally {
    await embedder?.close()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
