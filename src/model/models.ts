import { availableParallelism } from 'node:os'
import type { Vault } from '../vault/index.js'
import type { Llm } from './llm.js'
import { NoModelLlm } from './no-model.js'
import { isPrivate, ModelRegistry, type ModelRecord } from './registry.js'
import { parseModelSettings, type ModelSettings } from './settings.js'

export type Audience = 'owner' | 'peer'

export interface ModelsInit {
  vault: Vault
  modelsDir: string
  /** Read on each selection so a changed config applies without reopening. */
  settings: () => unknown
}

/** What a selection resolved to, for display and for tests of the privacy rule. */
export interface Selection {
  model: ModelRecord | undefined
  adapters: ModelRecord[]
}

/**
 * `me.models`: the registry plus loaded backends. The one place that decides which model and
 * adapters answer whom: a model or adapter trained on private memory is never selected for a peer
 * (the peer gets the fine-tune's base model, or no model at all).
 */
export class Models {
  readonly registry: ModelRegistry
  readonly #settings: () => unknown
  readonly #loaded = new Map<string, Llm>()
  #closed = false

  constructor (init: ModelsInit) {
    this.registry = new ModelRegistry(init.vault, init.modelsDir)
    this.#settings = init.settings
  }

  get settings (): ModelSettings {
    return parseModelSettings(this.#settings())
  }

  async select (audience: Audience): Promise<Selection> {
    const active = await this.registry.active()
    let model = active.modelId === null ? undefined : await this.registry.get(active.modelId)
    if (model !== undefined && audience === 'peer' && isPrivate(model)) {
      const base = model.baseId === undefined ? undefined : await this.registry.get(model.baseId)
      model = base !== undefined && !isPrivate(base) ? base : undefined
    }
    const adapters: ModelRecord[] = []
    for (const id of active.adapterIds) {
      const adapter = await this.registry.get(id)
      if (adapter === undefined || (audience === 'peer' && isPrivate(adapter))) continue
      adapters.push(adapter)
    }
    return { model, adapters: model === undefined ? [] : adapters }
  }

  /** The backend for an audience; loads nothing until it is first asked to generate. */
  async llm (audience: Audience): Promise<Llm> {
    const { model, adapters } = await this.select(audience)
    if (model === undefined) return new NoModelLlm()
    const key = [model.id, ...adapters.map(a => a.id)].join('+')
    const cached = this.#loaded.get(key)
    if (cached !== undefined) {
      this.#loaded.delete(key)
      this.#loaded.set(key, cached)
      return cached
    }
    for (const record of [model, ...adapters]) await this.registry.checkFile(record)
    const llm = await this.open(model, adapters)
    this.#loaded.set(key, llm)
    // Owner and peer may need two different models at once; anything older is unloaded.
    while (this.#loaded.size > 2) {
      const [oldestKey, oldest] = this.#loaded.entries().next().value ?? []
      if (oldestKey === undefined || oldest === undefined) break
      this.#loaded.delete(oldestKey)
      void oldest.close()
    }
    return llm
  }

  /** A backend for one model record (and adapters) with the configured settings. */
  async open (model: ModelRecord, adapters: ModelRecord[] = []): Promise<Llm> {
    const s = this.settings
    // node-llama-cpp is imported only when a model is really used: other commands start faster.
    const { LlamaCppLlm } = await import('./llama-cpp.js')
    const base = model.baseId === undefined ? undefined : await this.registry.get(model.baseId)
    return new LlamaCppLlm({
      id: model.id,
      name: model.name,
      modelPath: model.path,
      embeddingLength: model.embeddingLength,
      adapters: adapters.map(a => ({ path: a.path, scale: a.scale ?? 1 })),
      threads: s.threads === 0 ? Math.max(1, availableParallelism() - 1) : s.threads,
      contextSize: s.contextSize,
      gpu: s.gpu,
      maxTokens: s.maxTokens,
      ...(base === undefined ? {} : { trainedContext: base.contextLength })
    })
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const all = [...this.#loaded.values()]
    this.#loaded.clear()
    await Promise.all(all.map(async l => { await l.close() }))
  }
}
