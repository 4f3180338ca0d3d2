import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { availableParallelism } from 'node:os'
import type { ProgressEvent } from '../../progress.js'
import { InputError, ModelError } from '../../errors.js'
import { finetune } from '../../model/finetune.js'
import type { ModelRecord } from '../../model/registry.js'
import type { AgentHost } from '../types.js'
import type { Visibility } from '../../scope.js'
import { corpusText, synthesise, type TrainingSet } from './data.js'

export interface TrainDataResult {
  dir: string
  files: { sft: string, dpo: string, manifest: string }
  counts: { sft: number, dpo: number, memories: number, facts: number }
  /** Share of SFT prompts that are distinct (the target is >= 0.9). */
  distinctPrompts: number
  /** Chosen answers citing facts: how many were checked against memory and how many cite a fact that does not exist. */
  cited: { checked: number, missing: number }
  /** Rejected answers by kind of failure. */
  failures: Record<string, number>
  visibility: Visibility[]
  containsPrivate: boolean
}

function ownerOf (me: AgentHost): string | undefined {
  const owner = me.settings.memory.owner
  return owner !== undefined && owner !== '' ? owner : me.config.displayName
}

/** The training set from memories of the given visibilities only (the privacy filter). */
export function trainingSet (me: AgentHost, visibility: Visibility[]): { set: TrainingSet, memories: number, facts: number } {
  const items = me.memory.list({ scope: { visibility } })
  const facts = me.memory.facts({ scope: { visibility } }).filter(f => visibility.includes(f.visibility))
  return { set: synthesise(items, ownerOf(me), facts), memories: items.length, facts: facts.length }
}

/** Quality of a set: distinct prompts, chosen answers whose cited facts exist, rejected answers by failure kind. */
function audit (me: AgentHost, set: TrainingSet): Pick<TrainDataResult, 'distinctPrompts' | 'cited' | 'failures'> {
  const prompts = set.sft.map(e => (e.messages.find(m => m.role === 'user')?.content ?? '').toLowerCase())
  const cited = { checked: 0, missing: 0 }
  for (const p of set.dpo) {
    for (const id of p.meta.factIds ?? []) { cited.checked++; if (me.memory.fact(id) === undefined) cited.missing++ }
  }
  const failures: Record<string, number> = {}
  for (const p of set.dpo) failures[p.meta.failure ?? 'generic'] = (failures[p.meta.failure ?? 'generic'] ?? 0) + 1
  return { distinctPrompts: prompts.length === 0 ? 1 : new Set(prompts).size / prompts.length, cited, failures }
}

const jsonl = (rows: readonly unknown[]): string => rows.map(r => JSON.stringify(r)).join('\n') + (rows.length === 0 ? '' : '\n')

/** `secondme train data`: SFT (messages[]) and DPO (prompt/chosen/rejected) JSONL plus a manifest. */
export async function writeTrainingData (me: AgentHost, options: { out?: string, visibility: Visibility[] }): Promise<TrainDataResult> {
  const { set, memories, facts } = trainingSet(me, options.visibility)
  const quality = audit(me, set)
  if (quality.cited.missing > 0) throw new InputError('E_NOT_FOUND', `${quality.cited.missing} training answers cite facts that do not exist`)
  const dir = resolve(options.out ?? join(me.paths.root, 'training'))
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const files = { sft: join(dir, 'sft.jsonl'), dpo: join(dir, 'dpo.jsonl'), manifest: join(dir, 'manifest.json') }
  const containsPrivate = set.visibility.includes('private')
  const manifest = { createdAt: new Date().toISOString(), filter: options.visibility, visibility: set.visibility, containsPrivate, counts: { sft: set.sft.length, dpo: set.dpo.length, memories, facts }, ...quality }
  // Files may hold private text: owner-only permissions.
  await writeFile(files.sft, jsonl(set.sft), { mode: 0o600 })
  await writeFile(files.dpo, jsonl(set.dpo), { mode: 0o600 })
  await writeFile(files.manifest, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 })
  return { dir, files, counts: manifest.counts, ...quality, visibility: set.visibility, containsPrivate }
}

export interface TrainOptions {
  base?: string
  visibility: Visibility[]
  epochs: number
  contextSize?: number
  learningRate?: number
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}

export interface TrainResult {
  model: ModelRecord
  base: string
  /** The base model's loss on the first batch, before training. */
  initialLoss: number
  losses: number[]
  examples: number
  containsPrivate: boolean
}

/** Repeat a short corpus so the tool has several training windows (it needs more tokens than one context). */
function padCorpus (text: string, minChars: number): string {
  let out = text
  while (out.length < minChars) out += text
  return out
}

/** `secondme train`: fine-tune the base model on the synthesised data, register the result (flagged if private). */
export async function train (me: AgentHost, options: TrainOptions): Promise<TrainResult> {
  const registry = me.models.registry
  const baseId = options.base ?? (await registry.active()).modelId
  if (baseId === null) throw new ModelError('E_NO_MODEL', 'no base model: pass --base <id> or `secondme model use <id>` first')
  const base = await registry.resolve(baseId)
  if (base.kind !== 'model') throw new InputError('E_BAD_INPUT', `${base.id} is an adapter, not a model`)
  if (base.fileType !== undefined && base.fileType !== 0) throw new ModelError('E_BAD_MODEL', `llama.cpp's finetune trains F32 models only; ${base.name} has file type ${base.fileType}`)
  await registry.checkFile(base)
  const { set } = trainingSet(me, options.visibility)
  if (set.sft.length === 0) throw new InputError('E_BAD_INPUT', 'no memories of the chosen visibility to train on')
  const runId = `train-${Date.now().toString(36)}`
  const work = join(me.paths.root, 'training', runId)
  await mkdir(work, { recursive: true, mode: 0o700 })
  await mkdir(me.paths.modelsDir, { recursive: true, mode: 0o700 })
  const data = join(work, 'corpus.txt')
  const out = join(me.paths.modelsDir, `${runId}.gguf`)
  const ctx = options.contextSize ?? 256
  await writeFile(data, padCorpus(corpusText(set), ctx * 4 * 8), { mode: 0o600 })
  try {
    const result = await finetune({
      model: base.path, data, out, epochs: options.epochs, contextSize: ctx,
      threads: me.models.settings.threads === 0 ? Math.max(1, availableParallelism() - 1) : me.models.settings.threads,
      ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onEpoch: (epoch, loss) => options.onProgress?.({ phase: 'training', done: epoch, total: options.epochs, detail: `loss ${loss.toFixed(4)}` })
    })
    const model = await registry.add(out, { owned: true, trainedOn: set.visibility, baseId: base.id, expect: 'model' })
    return { model, base: base.id, initialLoss: result.initialLoss, losses: result.losses, examples: set.sft.length, containsPrivate: set.visibility.includes('private') }
  } catch (err) {
    await rm(out, { force: true })
    throw err
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
