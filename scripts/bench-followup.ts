// Follow-up questions through the `ask` op: LoCoMo questions whose subject is a speaker named in the
// question before them ("When did Caroline go to the support group?" after "What is Caroline's
// identity?") are asked again with the name replaced by a pronoun ("When did they go ..."), alone
// and with the earlier question as chat history. Scored: how often the recalled memories hold the
// question's gold evidence turn (any of them), for the original, the bare follow-up, and the
// follow-up with history.
//
// usage: npm run bench:followup -- [--data ../shared/data/locomo/dev.json] [--limit N] [--no-embed]
import '../src/polyfill.js'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { call } from '../src/api/index.js'
import { WorkerEmbedder } from '../src/memory/worker-embedder.js'
import { SecondMe } from '../src/node.js'

interface Qa { question: string, evidence?: string[], category: number }
interface Sample { sample_id: string, conversation: Record<string, unknown> & { speaker_a: string, speaker_b: string }, qa: Qa[] }
interface Pair { previous: string, original: string, followUp: string, evidence: Set<string> }

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    'no-embed': { type: 'boolean', default: false },
    limit: { type: 'string' }
  }
})

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Consecutive questions about the same speaker; the second one with the name made a pronoun. */
function followUpPairs (sample: Sample): Pair[] {
  const names = [sample.conversation.speaker_a, sample.conversation.speaker_b]
  const pairs: Pair[] = []
  for (let i = 1; i < sample.qa.length; i++) {
    const q = sample.qa[i]
    const prev = sample.qa[i - 1]
    if (q === undefined || prev === undefined || q.category === 5 || (q.evidence ?? []).length === 0) continue
    const name = names.find(n => new RegExp(`\\b${escape(n)}\\b`).test(q.question) && new RegExp(`\\b${escape(n)}\\b`).test(prev.question))
    // Both speakers named: a pronoun would not say which one is meant.
    if (name === undefined || names.filter(n => q.question.includes(n)).length > 1) continue
    const followUp = q.question.replace(new RegExp(`\\b${escape(name)}'s\\b`, 'g'), 'their').replace(new RegExp(`\\b${escape(name)}\\b`, 'g'), 'they')
    pairs.push({ previous: prev.question, original: q.question, followUp, evidence: new Set(q.evidence) })
  }
  return pairs
}

type Counts = Record<'original' | 'alone' | 'withHistory', number>

async function runSample (sample: Sample, work: string, embedder: WorkerEmbedder | null): Promise<{ pairs: number, hits: Counts }> {
  const file = join(work, `${sample.sample_id}.json`)
  await writeFile(file, JSON.stringify([{ sample_id: sample.sample_id, conversation: sample.conversation }]))
  const me = await SecondMe.init({ home: join(work, sample.sample_id), passphrase: 'bench', kdf: { N: 2 ** 10, r: 8, p: 1 }, memory: { embedder } })
  try {
    await me.memory.ingest([file])
    const refOf = new Map(me.memory.list().map(i => [i.id, i.ref]))
    const hits: Counts = { original: 0, alone: 0, withHistory: 0 }
    const pairs = followUpPairs(sample)
    const found = async (question: string, pair: Pair, history?: string): Promise<number> => {
      const r = await call(me, 'ask', { question, ...(history === undefined ? {} : { history: [{ role: 'user' as const, text: history }] }) })
      return r.memories.some(m => pair.evidence.has(refOf.get(m.id) ?? '')) ? 1 : 0
    }
    for (const pair of pairs) {
      hits.original += await found(pair.original, pair)
      hits.alone += await found(pair.followUp, pair)
      hits.withHistory += await found(pair.followUp, pair, pair.previous)
    }
    return { pairs: pairs.length, hits }
  } finally {
    await me.close()
  }
}

async function main (): Promise<void> {
  let samples = JSON.parse(await readFile(resolve(values.data), 'utf8')) as Sample[]
  if (values.limit !== undefined) samples = samples.slice(0, Number(values.limit))
  const embedder = values['no-embed'] ? null : new WorkerEmbedder()
  const work = await mkdtemp(join(tmpdir(), 'bench-followup-'))
  const total: Counts = { original: 0, alone: 0, withHistory: 0 }
  let pairs = 0
  try {
    for (const sample of samples) {
      const r = await runSample(sample, work, embedder)
      pairs += r.pairs
      for (const k of Object.keys(total) as Array<keyof Counts>) total[k] += r.hits[k]
      console.error(`${sample.sample_id}: ${r.pairs} follow-up questions`)
    }
    const rate = (n: number): string => `${n}/${pairs} = ${(n / Math.max(1, pairs)).toFixed(3)}`
    console.log(`follow-up recall — ${samples.length} conversations, recall ${embedder === null ? 'lexical only' : embedder.id}; gold evidence among the memories ask recalled:`)
    console.log(`  original question (names the speaker)   ${rate(total.original)}`)
    console.log(`  follow-up alone (name -> pronoun)        ${rate(total.alone)}`)
    console.log(`  follow-up with the previous question     ${rate(total.withHistory)}   (x${(total.withHistory / Math.max(1, total.alone)).toFixed(2)} over alone)`)
    console.log(`load average during the run: ${loadavg().map(l => l.toFixed(1)).join(' ')} on ${cpus().length} cores`)
  } finally {
    await embedder?.close()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
