// LoCoMo facts benchmark (the L1 layer): each conversation is ingested into a fresh node, every
// fact it extracted is written as {sample_id, speaker, text, evidence}, and each person's bio as
// {sample_id, speaker, bio}; the independent ../shared/bench/locomo-facts-score.mjs scores them
// against the dataset's annotated facts and life events (which the node never reads).
// Fact extraction needs no embeddings, so the nodes run lexical-only (embedder off) to stay fast.
//
// usage: npm run bench:facts -- --data ../shared/data/locomo/dev.json --out facts.jsonl --bios bios.jsonl [--gold …dev-facts.json]
import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadLine, loadSamples, withConversation, type Sample } from './locomo-bench.js'


const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    gold: { type: 'string' },
    out: { type: 'string', default: 'facts.jsonl' },
    bios: { type: 'string' },
    scorer: { type: 'string', default: '../shared/bench/locomo-facts-score.mjs' }
  }
})

async function runSample (sample: Sample, work: string): Promise<{ facts: string[], bios: string[], turns: number, ms: number }> {
  return await withConversation(sample, work, null, async ({ me, turns, ingestMs }) => {
    const facts = me.memory.facts().map(f => JSON.stringify({ sample_id: sample.sample_id, speaker: f.person, text: f.text, evidence: f.refs }))
    const people = [...new Set(me.memory.list().flatMap(i => i.speaker === undefined ? [] : [i.speaker]))]
    const bios = people.map(person => JSON.stringify({ sample_id: sample.sample_id, speaker: person, bio: me.memory.bio({ person }).summary }))
    return { facts, bios, turns, ms: ingestMs }
  })
}

async function main (): Promise<void> {
  const data = resolve(values.data)
  const gold = resolve(values.gold ?? data.replace(/\.json$/, '-facts.json'))
  const out = resolve(values.out)
  const samples = await loadSamples(data)
  const work = await mkdtemp(join(tmpdir(), 'bench-facts-'))
  const facts: string[] = []
  const bios: string[] = []
  let turns = 0
  let ms = 0
  try {
    for (const sample of samples) {
      const r = await runSample(sample, work)
      facts.push(...r.facts); bios.push(...r.bios); turns += r.turns; ms += r.ms
      console.error(`${sample.sample_id}: ${r.turns} turns, ${r.facts.length} facts in ${(r.ms / 1000).toFixed(1)} s`)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  await writeFile(out, facts.join('\n') + '\n')
  const args = [resolve(values.scorer), data, gold, out]
  if (values.bios !== undefined) {
    await writeFile(resolve(values.bios), bios.join('\n') + '\n')
    args.push('--bios', resolve(values.bios))
  }
  console.log(`secondme facts — ${facts.length} facts in ${out}${values.bios === undefined ? '' : `, bios in ${resolve(values.bios)}`}`)
  console.log(execFileSync(process.execPath, args, { encoding: 'utf8' }))
  console.log(`ingest with fact extraction: ${turns} turns in ${(ms / 1000).toFixed(1)} s = ${(turns / (ms / 1000)).toFixed(1)} turns/s (parse + encrypt + index + facts, no embedding)`)
  console.log(loadLine())
}

await main()
