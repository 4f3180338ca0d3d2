// What every LoCoMo benchmark shares: load the samples, ingest one conversation into a fresh node
// (only the conversation goes in: the questions, answers and annotations never reach the node),
// and the small numbers every benchmark prints (percentiles, load average).
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { Embedder } from '../src/model/embedder.js'
import { SecondMe } from '../src/node.js'

export interface Sample { sample_id: string, conversation: Record<string, unknown>, qa: Array<{ question: string }> }

export async function loadSamples (data: string, limit?: string): Promise<Sample[]> {
  const samples = JSON.parse(await readFile(data, 'utf8')) as Sample[]
  return limit === undefined ? samples : samples.slice(0, Number(limit))
}

export interface Ingested { me: SecondMe, turns: number, ingestMs: number }

/**
 * A fresh node in `work` that has ingested `sample`'s conversation; `use` runs on it and the node is
 * closed afterwards. `before` runs after init and before ingest (e.g. to register a model).
 */
export async function withConversation<T> (sample: Sample, work: string, embedder: Embedder | null, use: (run: Ingested) => Promise<T>, before?: (me: SecondMe) => Promise<void>): Promise<T> {
  const file = join(work, `${sample.sample_id}.json`)
  await writeFile(file, JSON.stringify([{ sample_id: sample.sample_id, conversation: sample.conversation }]))
  const me = await SecondMe.init({ home: join(work, sample.sample_id), passphrase: 'bench', kdf: { N: 2 ** 10, r: 8, p: 1 }, memory: { embedder } })
  try {
    await before?.(me)
    const t0 = performance.now()
    const ingested = await me.memory.ingest([file])
    return await use({ me, turns: ingested.added, ingestMs: performance.now() - t0 })
  } finally {
    await me.close()
  }
}

export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

export function loadLine (): string {
  return `load average during the run: ${loadavg().map(l => l.toFixed(1)).join(' ')} on ${cpus().length} cores`
}
