import { copyFile, mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { InputError, ModelError } from '../errors.js'
import { VISIBILITIES } from '../scope.js'
import type { VaultStore } from '../vault/store.js'
import type { Vault } from '../vault/index.js'
import type { GgufSummary } from './gguf-info.js'

export const MODEL_STORES = ['models', 'model-state'] as const

export const ModelRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['model', 'adapter']),
  name: z.string(),
  /** Where the file is read from: the user's own file (referenced) or a copy inside the home. */
  path: z.string(),
  copied: z.boolean(),
  sha256: z.string(),
  size: z.number(),
  architecture: z.string(),
  contextLength: z.number(),
  embeddingLength: z.number(),
  fileType: z.number().optional(),
  hasChatTemplate: z.boolean(),
  addedAt: z.string(),
  /** Visibilities of the memories it was trained on (empty: not trained by us on memory). */
  trainedOn: z.array(z.enum(VISIBILITIES)).default([]),
  /** The model a fine-tune started from (so peers can fall back to it). */
  baseId: z.string().optional(),
  scale: z.number().optional()
})
export type ModelRecord = z.infer<typeof ModelRecordSchema>

export const ActiveSchema = z.object({ modelId: z.string().nullable(), adapterIds: z.array(z.string()) })
export type ActiveModels = z.infer<typeof ActiveSchema>

export interface AddOptions {
  /** Copy the file into the home's models folder instead of referencing it. @default false */
  copy?: boolean
  trainedOn?: ModelRecord['trainedOn']
  baseId?: string
  scale?: number
  expect?: 'model' | 'adapter'
  /** The file already lives in the home (written by `train`): removed with the record. */
  owned?: boolean
}

/** Trained on private memory: may answer the owner, never a peer. */
export function isPrivate (record: ModelRecord): boolean {
  return record.trainedOn.includes('private')
}

/**
 * The models and LoRA adapters this Second Me knows, kept in the vault (store `models`, keyed by
 * id = first 16 hex of the file's sha256) with the active choice in `model-state`. Files are
 * referenced where they are by default (models are gigabytes; copying doubles disk use) and
 * checked by size at load; `copy: true` (and every model `train` writes) lives in <home>/models.
 */
export class ModelRegistry {
  readonly #records: VaultStore<unknown>
  readonly #state: VaultStore<unknown>
  readonly #modelsDir: string

  constructor (vault: Vault, modelsDir: string) {
    this.#records = vault.store('models')
    this.#state = vault.store('model-state')
    this.#modelsDir = modelsDir
  }

  async add (file: string, options: AddOptions = {}): Promise<ModelRecord> {
    const { inspectGguf } = await import('./gguf-info.js')
    const summary = await inspectGguf(file)
    if (options.expect !== undefined && summary.kind !== options.expect) {
      throw new ModelError('E_BAD_MODEL', `${summary.name} is a ${summary.kind}, not a ${options.expect}`)
    }
    const id = summary.sha256.slice(0, 16)
    const existing = await this.get(id)
    if (existing !== undefined) return existing
    const path = options.copy === true ? await this.#copyIn(summary, id) : summary.path
    const record = recordOf(summary, id, path, options)
    await this.#records.put(id, record)
    return record
  }

  async list (): Promise<ModelRecord[]> {
    const out: ModelRecord[] = []
    for await (const [, value] of this.#records.entries()) out.push(ModelRecordSchema.parse(value))
    return out.sort((a, b) => a.addedAt.localeCompare(b.addedAt))
  }

  async get (id: string): Promise<ModelRecord | undefined> {
    const value = await this.#records.get(id)
    return value === undefined ? undefined : ModelRecordSchema.parse(value)
  }

  /** Accepts a full id or a unique prefix (at least 4 characters). */
  async resolve (idOrPrefix: string): Promise<ModelRecord> {
    const exact = await this.get(idOrPrefix)
    if (exact !== undefined) return exact
    const matches = idOrPrefix.length >= 4 ? (await this.list()).filter(r => r.id.startsWith(idOrPrefix)) : []
    if (matches.length === 1 && matches[0] !== undefined) return matches[0]
    if (matches.length > 1) throw new InputError('E_BAD_INPUT', `"${idOrPrefix}" matches ${matches.length} models; give more of the id`)
    throw new InputError('E_NOT_FOUND', `no model or adapter "${idOrPrefix}" (see secondme model list)`)
  }

  async active (): Promise<ActiveModels> {
    const value = await this.#state.get('active')
    return value === undefined ? { modelId: null, adapterIds: [] } : ActiveSchema.parse(value)
  }

  /** Make a model the active one, or enable an adapter on top of it. */
  async use (idOrPrefix: string): Promise<ActiveModels> {
    const record = await this.resolve(idOrPrefix)
    const active = await this.active()
    const next = record.kind === 'model'
      ? { modelId: record.id, adapterIds: active.adapterIds }
      : { modelId: active.modelId, adapterIds: [...new Set([...active.adapterIds, record.id])] }
    await this.#state.put('active', next)
    return next
  }

  /** Stop using the active model (or an adapter); the records stay. */
  async unuse (idOrPrefix?: string): Promise<ActiveModels> {
    const active = await this.active()
    const id = idOrPrefix === undefined ? active.modelId : (await this.resolve(idOrPrefix)).id
    const next = { modelId: active.modelId === id ? null : active.modelId, adapterIds: active.adapterIds.filter(a => a !== id) }
    await this.#state.put('active', next)
    return next
  }

  async remove (idOrPrefix: string): Promise<ModelRecord> {
    const record = await this.resolve(idOrPrefix)
    await this.unuse(record.id)
    await this.#records.del(record.id)
    if (record.copied) await rm(record.path, { force: true })
    return record
  }

  /** The file still looks like the one added (size check; sha256 would read gigabytes per load). */
  async checkFile (record: ModelRecord): Promise<void> {
    const info = await stat(record.path).catch(() => undefined)
    if (info === undefined) throw new ModelError('E_BAD_MODEL', `the file of ${record.kind} ${record.id} (${record.path}) is gone; remove it or add it again`)
    if (info.size !== record.size) throw new ModelError('E_BAD_MODEL', `the file of ${record.kind} ${record.id} (${record.path}) changed since it was added`)
  }

  async #copyIn (summary: GgufSummary, id: string): Promise<string> {
    await mkdir(this.#modelsDir, { recursive: true, mode: 0o700 })
    const target = join(this.#modelsDir, `${id}.gguf`)
    await copyFile(summary.path, target)
    return target
  }
}

function recordOf (summary: GgufSummary, id: string, path: string, options: AddOptions): ModelRecord {
  return {
    id,
    kind: summary.kind,
    name: summary.name,
    path,
    copied: options.copy === true || options.owned === true,
    sha256: summary.sha256,
    size: summary.size,
    architecture: summary.architecture,
    contextLength: summary.contextLength,
    embeddingLength: summary.embeddingLength,
    ...(summary.fileType === undefined ? {} : { fileType: summary.fileType }),
    hasChatTemplate: summary.hasChatTemplate,
    addedAt: new Date().toISOString(),
    trainedOn: options.trainedOn ?? [],
    ...(options.baseId === undefined ? {} : { baseId: options.baseId }),
    ...(options.scale === undefined ? {} : { scale: options.scale })
  }
}
