// The answerer offline: reruns answerFrom on the recall `bench:qa -- --dump` saved (no ingest, no
// embedder; the whole dev set in seconds) and scores the answers with the independent
// ../shared/bench/locomo-qa-score.mjs, overall and per conversation, so a change to
// src/agent/answer/ is judged in seconds and a gain concentrated in one conversation shows.
// The answers equal the benchmark's when the answerer is unchanged (same recall, same code path).
//
// usage: npm run bench:qa -- --dump dump.jsonl && tsx scripts/eval-answer.ts --dump dump.jsonl
//          [--data ../shared/data/locomo/dev.json] [--out answers.jsonl] [--per-conversation] [--threshold p] [--max-parts n]
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { answerFrom } from '../src/agent/answer/index.js'
import type { AgentMemory } from '../src/agent/types.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    dump: { type: 'string', default: 'dump.jsonl' },
    out: { type: 'string' },
    scorer: { type: 'string', default: '../shared/bench/locomo-qa-score.mjs' },
    'per-conversation': { type: 'boolean', default: false },
    // The gate's threshold (answerFrom's option), to see what refusing costs and saves.
    threshold: { type: 'string' },
    'max-parts': { type: 'string' }
  }
})

interface Dumped { sample_id: string, qa: number, question: string, memories: AgentMemory[] }
interface Row { group: string, n: number, f1: number }

const score = (data: string, answers: string, json = false): string =>
  execFileSync(process.execPath, [resolve(values.scorer), data, answers, ...(json ? ['--json'] : [])], { encoding: 'utf8' })

/** Each conversation scored on its own: its F1 per category and overall, one line each. */
async function perConversation (samples: Array<{ sample_id: string }>, answers: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'eval-answer-'))
  try {
    console.log('conversation   all   1-4  multi  temp  open single  adv')
    for (const sample of samples) {
      const file = join(work, `${sample.sample_id}.json`)
      await writeFile(file, JSON.stringify([sample]))
      const rows = JSON.parse(score(file, answers, true)) as Row[]
      const f = (g: string): string => (rows.find(r => r.group === g)?.f1 ?? Number.NaN).toFixed(3)
      console.log(`${sample.sample_id.padEnd(12)} ${['all', '1-4', '1', '2', '3', '4', '5'].map(f).join(' ')}`)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

const data = resolve(values.data)
const samples = JSON.parse(await readFile(data, 'utf8')) as Array<{ sample_id: string }>
const dumped = (await readFile(resolve(values.dump), 'utf8')).trim().split('\n').map(l => JSON.parse(l) as Dumped)
const options = {
  ...(values.threshold === undefined ? {} : { threshold: Number(values.threshold) }),
  ...(values['max-parts'] === undefined ? {} : { maxParts: Number(values['max-parts']) })
}
const t0 = performance.now()
const lines = dumped.map(d => JSON.stringify({ sample_id: d.sample_id, qa: d.qa, answer: answerFrom(d.question, d.memories, options).answer }))
const ms = performance.now() - t0
const out = resolve(values.out ?? join(tmpdir(), 'eval-answer.jsonl'))
await writeFile(out, lines.join('\n') + '\n')
console.log(score(data, out))
console.log(`answerFrom: ${dumped.length} questions in ${ms.toFixed(0)} ms (${(ms / Math.max(1, dumped.length)).toFixed(2)} ms each); answers in ${out}`)
if (values['per-conversation']) await perConversation(samples, out)
