import { availableParallelism } from 'node:os'
import { LRUCache } from 'lru-cache'
import { StorageError } from '../errors.js'
import { errText, log } from '../log.js'
import type { Vault } from '../vault/index.js'
import type { Llm } from './llm.js'
import { NoModelLlm } from './no-model.js'
import { isPrivate, ModelRegistry, type ModelRecord } from './registry.js'
import { parseModelSettings, type ModelSettings } from './settings.js'

export type Audience = 'owner' | 'peer'

const logModels = log('models')

export interface ModelsInit {
  vault: Vault
  modelsDir: string
  /** Read on each selection so a changed config applies without reopening. */
  settings: () => unknown
  /** Loaded backends kept (owner and peer may need two different models at once). @default 2 */
  keep?: number
}

/** A backend held by a caller: it stays open until released, even when the cache lets it go. */
export interface LlmLease {
  readonly llm: Llm
  /** Done with the backend (idempotent). */
  release: () => void
}

/** A loaded backend and how many callers hold it; closed once evicted and no longer held. */
interface Loaded {
  llm: Llm
  users: number
  evicted: boolean
  closing?: Promise<void>
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
  readonly #loaded: LRUCache<string, Loaded>
  #closed = false

  constructor (init: ModelsInit) {
    this.registry = new ModelRegistry(init.vault, init.modelsDir)
    this.#settings = init.settings
    this.#loaded = new LRUCache<string, Loaded>({
      max: init.keep ?? 2,
      // Let go (evicted, replaced or cleared): closed now if nobody holds it, else on the last release.
      dispose: (entry) => {
        entry.evicted = true
        if (entry.users === 0) void this.#closeLoaded(entry)
      }
    })
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

  /**
   * The backend for an audience, for the length of `fn`; loads nothing until it is first asked to
   * generate. A backend the cache lets go while `fn` still runs is closed when `fn` is done.
   */
  async use<T> (audience: Audience, fn: (llm: Llm) => Promise<T>): Promise<T> {
    const lease = await this.acquire(audience)
    try {
      return await fn(lease.llm)
    } finally {
      lease.release()
    }
  }

  /** As `use`, for a caller that holds the backend across calls: release it when done. */
  async acquire (audience: Audience): Promise<LlmLease> {
    const { model, adapters } = await this.select(audience)
    if (model === undefined) return { llm: new NoModelLlm(), release: () => {} }
    // A backend opened after close would never be closed.
    if (this.#closed) throw new StorageError('E_CLOSED', 'the models are closed')
    const key = [model.id, ...adapters.map(a => a.id)].join('+')
    let entry = this.#loaded.get(key)
    if (entry === undefined) {
      for (const record of [model, ...adapters]) await this.registry.checkFile(record)
      entry = { llm: await this.open(model, adapters), users: 0, evicted: false }
      this.#loaded.set(key, entry)
    }
    const held = entry
    held.users++
    let released = false
    return {
      llm: held.llm,
      release: () => {
        if (released) return
        released = true
        held.users--
        if (held.evicted && held.users === 0) void this.#closeLoaded(held)
      }
    }
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

  /** Closes every loaded backend, held or not: the node is shutting down. */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const all = [...this.#loaded.values()]
    this.#loaded.clear()
    await Promise.all(all.map(async entry => { await this.#closeLoaded(entry) }))
  }

  async #closeLoaded (entry: Loaded): Promise<void> {
    entry.closing ??= entry.llm.close().catch((err: unknown) => { logModels('closing %s failed: %s', entry.llm.info.id, errText(err)) })
    await entry.closing
  }
}
