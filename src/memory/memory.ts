import type { ProgressEvent } from '../progress.js'
import { InputError, StorageError } from '../errors.js'
import type { Embedder } from '../model/embedder.js'
import { normalise } from '../model/use-embedder.js'
import { OWNER_SCOPE, VISIBILITIES, inScope, normaliseTopic, type Scope, type Visibility } from '../scope.js'
import { markCacheStores, type BatchOp, type Vault, type VaultStore } from '../vault/index.js'
import { mainPerson, personBio, type Bio } from './bio.js'
import { DECLARED_STORE, type DeclaredTopic } from './declared.js'
import { FACT_STORE, FactBook, type FactQuery } from './facts/book.js'
import type { Fact } from './facts/types.js'
import { ingestFiles, type IngestOptions } from './ingest.js'
import { byTimeThenSeq, embeddingText, factSource, hash, itemId, namedSpeaker, termsOf, timeMs, toAgentMemory, toHit, topicVisibility, turnAt, withReplies } from './items.js'
import { buildItems, chunksOf, pendingChunks, PENDING_PREFIX, topicRules, type ThreadPart, type Written } from './source-write.js'
import { isBulk, type VisibilityChange } from './bulk.js'
import { Owner } from './parsers/context.js'
import { LexicalIndex, type LexicalDoc } from './lexical.js'
import { DEFAULT_FUSION, fuse, lexicalScores, type FusionParams } from './recall.js'
import { SemanticScorer } from './semantic.js'
import { queryWindow } from './time.js'
import { topicClusters, type TopicCluster } from './clusters.js'
import { TopicBook, type TopicChange, type TopicHost } from './topic-book.js'
import { nounBook, threadTopics, topicCounts, type TopicCount } from './topics.js'
import type { AgentMemory, IngestResult, MemoryItem, ParsedItem, RecallHit, RecallOptions, ScopedRecall } from './types.js'
import { META_STORE, VECTOR_STORE, VectorIndex } from './vectors.js'

export const ITEM_STORE = 'memory-items'
export const TERM_STORE = 'memory-terms'
export const SOURCE_STORE = 'memory-sources'
export const TOPIC_STORE = 'memory-topics'
// Persisted term vectors are derived from the items: a corrupt one is dropped and recomputed at load.
markCacheStores(TERM_STORE)
export const MEMORY_STORES = [ITEM_STORE, TERM_STORE, SOURCE_STORE, TOPIC_STORE, VECTOR_STORE, META_STORE, FACT_STORE, DECLARED_STORE]

interface TermRecord { tf: Array<[string, number]>, len: number }
export interface SourceRecord { source: string, items: string[], at: string }
interface TopicRule { label: string, visibility: Visibility }

export interface MemoryInit {
  /** Embedder for semantic recall; omit (or null) for lexical-only recall. Not closed by Memory unless `ownsEmbedder`. */
  embedder?: Embedder | null
  ownsEmbedder?: boolean
  /** The owner's speaker name in conversations, for the bio; their items from every source get it. */
  owner?: string
  /** Other names, addresses and handles the owner appears under in chats and mail. */
  ownerAliases?: string[]
  /** Larger files are refused. @default 1 GiB */
  maxFileBytes?: number
  /** Calendar recurrences expand this many days around the ingest. @default { past: 730, future: 365 } */
  calendarDays?: { past: number, future: number }
  fusion?: FusionParams
}

export interface AddTextOptions {
  source?: string
  time?: string
  speaker?: string
  visibility?: Visibility
  topics?: string[]
}

/**
 * The owner's memory: L0 items (turns, passages) with provenance, topics and visibility, kept
 * encrypted in the vault; a lexical index (persisted per item, rebuilt in memory at open) and cached
 * embeddings. Every read takes a scope, applied before ranking: out-of-scope items never surface.
 */
export class Memory {
  readonly #vault: Vault
  readonly #items = new Map<string, MemoryItem>()
  readonly #lexical = new LexicalIndex()
  /** The tagger's noun decisions, shared by the threads of every source this memory ingests (bounded). */
  readonly #nouns = nounBook()
  /** speaker (lower case) → ids of the items they said, to spot "questions about X" fast. */
  readonly #bySpeaker = new Map<string, Set<string>>()
  readonly #times = new Map<string, number>()
  /** Allowed-id sets per scope; any write clears it. */
  readonly #scopeCache = new Map<string, Set<string>>()
  #latest: number | undefined
  readonly #vectors: VectorIndex | undefined
  readonly #semantic: SemanticScorer | undefined
  readonly #init: MemoryInit
  readonly #facts: FactBook
  readonly #declared: TopicBook
  readonly #store: { items: VaultStore<MemoryItem>, terms: VaultStore<TermRecord>, sources: VaultStore<SourceRecord>, topics: VaultStore<TopicRule> }
  #closed = false

  private constructor (vault: Vault, vectors: VectorIndex | undefined, init: MemoryInit) {
    this.#vault = vault
    this.#vectors = vectors
    this.#semantic = vectors === undefined ? undefined : new SemanticScorer(vectors, this.#lexical)
    this.#init = init
    this.#facts = new FactBook(vault)
    this.#declared = new TopicBook(vault)
    this.#store = {
      items: vault.store<MemoryItem>(ITEM_STORE),
      terms: vault.store<TermRecord>(TERM_STORE),
      sources: vault.store<SourceRecord>(SOURCE_STORE),
      topics: vault.store<TopicRule>(TOPIC_STORE)
    }
  }

  static async open (vault: Vault, init: MemoryInit = {}): Promise<Memory> {
    const embedder = init.embedder ?? undefined
    const vectors = embedder === undefined ? undefined : await VectorIndex.open(vault, embedder)
    const memory = new Memory(vault, vectors, init)
    await memory.#load()
    return memory
  }

  get size (): number {
    return this.#items.size
  }

  /** Items that still wait for their embedding (recall is lexical for them meanwhile). */
  get pendingEmbeddings (): number {
    if (this.#vectors === undefined) return 0
    let n = 0
    for (const id of this.#items.keys()) if (!this.#vectors.has(id)) n++
    return n
  }

  get embedderId (): string | undefined {
    return this.#vectors?.embedder.id
  }

  /** The embedder recall uses (undefined when lexical only), for doors that offer embeddings. */
  get embedder (): Embedder | undefined {
    return this.#vectors?.embedder
  }

  async ingest (paths: string[], options: IngestOptions = {}): Promise<IngestResult> {
    this.#assertOpen()
    const result = await ingestFiles(paths, options, {
      owner: new Owner(this.#init.owner, this.#init.ownerAliases),
      maxFileBytes: this.#init.maxFileBytes ?? 1024 ** 3,
      calendarDays: this.#init.calendarDays ?? { past: 730, future: 365 },
      sourceExists: async (key) => await this.#store.sources.get(key),
      write: async (key, source, parsed) => await this.#writeSource(key, source, parsed, options.signal)
    })
    if (options.embed !== false) await this.embedPending(options)
    return result
  }

  /** Programmatic ingest of one text; idempotent for the same source, time and text. */
  async addText (text: string, options: AddTextOptions = {}): Promise<{ id: string, added: boolean }> {
    this.#assertOpen()
    if (text.trim() === '') throw new InputError('E_BAD_INPUT', 'addText: the text is empty')
    if (options.time !== undefined && Number.isNaN(Date.parse(options.time))) throw new InputError('E_BAD_INPUT', `addText: "${options.time}" is not a date`)
    const source = options.source ?? 'text'
    const id = itemId(source, options.time ?? '', text)
    if (this.#items.has(id)) return { id, added: false }
    const topics = options.topics?.map(normaliseTopic) ?? threadTopics([text], t => this.#lexical.df(t), this.#lexical.size, 1)
    const item: MemoryItem = {
      id, text, source, topics, thread: `${source}#${id}`, seq: 0, addedAt: new Date().toISOString(),
      visibility: options.visibility ?? topicVisibility(topics, await topicRules(this.#store.topics)),
      ...(options.time === undefined ? {} : { time: new Date(options.time).toISOString() }),
      ...(options.speaker === undefined ? {} : { speaker: options.speaker })
    }
    // Declared topics join the caller's own labels (which selection never takes away).
    const labelled = (await this.#declared.reassess([item], this.#topicHost())).updated[0] ?? item
    const facts = this.#facts.extract([factSource(labelled)], this.#extractOptions())
    const counts = termsOf(labelled)
    await this.#vault.batch([...this.#itemOps(labelled, counts), ...facts.ops])
    this.#index(labelled, counts)
    this.#facts.commit(facts.facts)
    return { id, added: true }
  }

  /** Embed every item without a vector yet (batched, persisted as it goes, with progress). */
  async embedPending (options: { signal?: AbortSignal, onProgress?: (e: ProgressEvent) => void } = {}): Promise<number> {
    if (this.#vectors === undefined) return 0
    const pending = [...this.#items.values()].filter(i => !this.#vectors?.has(i.id)).map(i => ({ id: i.id, text: embeddingText(i) }))
    const n = await this.#vectors.embedMissing(pending, { ...options, keep: id => this.#items.has(id) })
    // Declared topics select by meaning once the items have their embeddings.
    const embedded = pending.flatMap(p => this.#items.get(p.id) ?? [])
    if (embedded.length > 0 && this.#declared.list().length > 0) await this.#applyTopics(await this.#declared.reassess(embedded, this.#topicHost()))
    return n
  }

  /** The owner's declared topics. */
  declaredTopics (): DeclaredTopic[] {
    return this.#declared.list()
  }

  /** Declare a topic (a label and a few words about it); it selects memories by meaning. */
  async declareTopic (label: string, about?: string, options: { wordsOnly?: boolean } = {}): Promise<{ topic: DeclaredTopic, count: number }> {
    this.#assertOpen()
    // Words only (no model call, e.g. while a node starts): meaning joins at the next embedding run.
    const host = this.#topicHost()
    const change = await this.#declared.declare(label, about, options.wordsOnly === true ? { ...host, embed: async () => undefined } : host)
    await this.#applyTopics(change)
    return { topic: change.topic, count: this.topicItems(change.topic.label).length }
  }

  async renameTopic (from: string, to: string): Promise<{ changed: number }> {
    this.#assertOpen()
    return await this.#applyTopics(this.#declared.rename(from, to, this.#items.values()))
  }

  async mergeTopics (from: string[], into: string): Promise<{ changed: number }> {
    this.#assertOpen()
    return await this.#applyTopics(this.#declared.merge(from, into, this.#items.values()))
  }

  async removeTopic (label: string): Promise<{ changed: number }> {
    this.#assertOpen()
    return await this.#applyTopics(this.#declared.remove(label, this.#items.values()))
  }

  /** The items of a topic (declared or clustered) in scope, oldest first. */
  topicItems (label: string, scope: Scope = OWNER_SCOPE): MemoryItem[] {
    return this.list({ scope: { ...scope, topics: [label] } })
  }

  async #applyTopics (change: TopicChange): Promise<{ changed: number }> {
    const ops: BatchOp[] = [...change.updated.map((u): BatchOp => ({ type: 'put', store: this.#store.items, key: u.id, value: u })), ...change.ops]
    if (ops.length > 0) await this.#vault.batch(ops)
    for (const u of change.updated) this.#items.set(u.id, u)
    this.#scopeCache.clear()
    return { changed: change.updated.length }
  }

  #topicHost (): TopicHost {
    const vectors = this.#vectors
    return {
      items: () => this.#items.values(),
      termsOf: item => new Set(termsOf(item).tf.keys()),
      vectorOf: id => vectors?.get(id),
      embed: async text => vectors === undefined ? undefined : await vectors.embedder.embed([text]).then(v => v[0] === undefined ? undefined : normalise(v[0]), () => undefined)
    }
  }

  async recall (query: string, options: RecallOptions = {}): Promise<RecallHit[]> {
    this.#assertOpen()
    const allowed = this.#allowed(options.scope ?? OWNER_SCOPE)
    const vectors = this.#vectors !== undefined && this.#vectors.size > 0 ? this.#vectors : undefined
    // Asked first: a worker embedder computes it while this thread does the lexical scoring below.
    // An embedder that fails (model missing, closed) degrades recall to lexical instead of failing it.
    const embedding = vectors?.embedder.embed([query]).then(v => v[0], () => undefined)
    const params = this.#init.fusion ?? DEFAULT_FUSION
    const window = queryWindow(query, this.#latestTime())
    const subject = namedSpeaker(this.#bySpeaker, query, allowed)
    const lexical = lexicalScores({ query, lexical: this.#lexical, allowed, timeOf: id => this.#times.get(id), params, ...(window === undefined ? {} : { window }) })
    const queryVector = await embedding
    const semantic = queryVector === undefined || this.#semantic === undefined
      ? undefined
      : { values: this.#semantic.score(queryVector, allowed, params.embeddingContext), own: this.#semantic.own, ...this.#semantic.candidates(allowed) }
    const ranked = fuse({
      allowed, lexical, params, k: options.k ?? 10,
      ...(subject === undefined ? {} : { bySubject: (id: string) => subject.has(id) }),
      ...(semantic === undefined ? {} : { semantic })
    })
    const hits = ranked.flatMap(({ id, score }) => {
      const item = this.#items.get(id)
      return item === undefined || !allowed.has(id) ? [] : [toHit(item, score)]
    })
    return options.replies === true ? withReplies(hits, allowed, id => this.#items.get(id), id => this.#lexical.neighbours(id).map(n => n.id)) : hits
  }

  /** ScopedRecall for the network and the agent: only in-scope memories, already ranked. */
  async recallScoped (query: string, scope: Scope, k: number): Promise<AgentMemory[]> {
    return (await this.recall(query, { scope, k, replies: true })).map(toAgentMemory)
  }

  scoped (): ScopedRecall {
    return { recall: async (query, scope, k) => await this.recallScoped(query, scope, k) }
  }

  list (options: { scope?: Scope, limit?: number, offset?: number } = {}): MemoryItem[] {
    const scope = options.scope ?? OWNER_SCOPE
    const all = [...this.#items.values()].filter(i => inScope(scope, i)).sort(byTimeThenSeq)
    return all.slice(options.offset ?? 0, (options.offset ?? 0) + (options.limit ?? all.length))
  }

  get (id: string): MemoryItem | undefined {
    return this.#items.get(id)
  }

  /** The turn right before `id` in its thread, when `scope` covers both (the question a reply may answer). */
  turnBefore (id: string, scope: Scope): MemoryItem | undefined {
    const item = this.#items.get(id)
    const before = item === undefined || !inScope(scope, item) ? undefined : turnAt(item, -1, i => this.#items.get(i), i => this.#lexical.neighbours(i).map(n => n.id))
    return before !== undefined && inScope(scope, before) ? before : undefined
  }

  /** Delete an item from the vault, the lexical index and the vector cache, in one batch. */
  async forget (id: string): Promise<MemoryItem> {
    this.#assertOpen()
    const item = this.#items.get(id)
    if (item === undefined) throw new InputError('E_NOT_FOUND', `no memory with id ${id}`)
    const ops: BatchOp[] = [
      { type: 'del', store: this.#store.items, key: id },
      { type: 'del', store: this.#store.terms, key: id },
      ...(this.#vectors?.deleteOps(id) ?? [])
    ]
    const facts = this.#facts.forgetOps(id)
    await this.#vault.batch([...ops, ...facts.ops])
    this.#facts.remove(facts.ids)
    this.#unindex(item)
    return item
  }

  /** L1 facts in scope (about a person, of a category), oldest first. */
  facts (query: FactQuery = {}): Fact[] {
    const scope = query.scope ?? OWNER_SCOPE
    const allowed = scope.topics === undefined ? undefined : this.#allowed(scope)
    return this.#facts.list(query, allowed === undefined ? undefined : id => allowed.has(id))
  }

  fact (id: string): Fact | undefined {
    return this.#facts.get(id)
  }

  /** Extract every fact again from the L0 items (old memories, or after the extractor improved). */
  async rebuildFacts (): Promise<{ facts: number }> {
    this.#assertOpen()
    const sources = [...this.#items.values()].filter(i => i.from === undefined).map(factSource)
    const { ops, facts } = this.#facts.rebuildOps(sources, this.#extractOptions())
    await this.#vault.batch(ops)
    this.#facts.replaceAll(facts)
    return { facts: facts.length }
  }

  /**
   * The bio of the owner (or of `person`): built from the facts the scope lets through only, so a
   * public bio states public facts only.
   */
  bio (options: { person?: string, scope?: Scope } = {}): Bio {
    const scope = options.scope ?? OWNER_SCOPE
    const person = options.person ?? this.#init.owner ?? mainPerson(this.facts({ scope })) ?? 'The owner'
    return personBio(this.facts({ scope, about: person }), person, this.topics(scope).slice(0, 5).map(t => t.topic))
  }

  topics (scope: Scope = OWNER_SCOPE): TopicCount[] {
    return topicCounts(this.list({ scope }))
  }

  /** Topics by meaning: embedded memories in scope grouped by embedding, named by noun phrases (none without embeddings). */
  clusters (scope: Scope = OWNER_SCOPE): TopicCluster[] {
    const vectors = this.#vectors
    return vectors === undefined ? [] : topicClusters(this.list({ scope }), id => vectors.get(id), texts => threadTopics(texts, t => this.#lexical.df(t), this.#lexical.size, 3))
  }

  /**
   * Set the visibility of one item (by id) or of every item of a topic (and of later ones). A bulk
   * change above BULK_LIMIT items or BULK_SHARE of memory only previews what it covers unless `yes`.
   */
  async setVisibility (idOrTopic: string, visibility: Visibility, options: { topic?: boolean, yes?: boolean } = {}): Promise<VisibilityChange> {
    this.#assertOpen()
    if (!VISIBILITIES.includes(visibility)) throw new InputError('E_BAD_INPUT', `visibility must be one of ${VISIBILITIES.join(', ')}`)
    const item = options.topic === true ? undefined : this.#items.get(idOrTopic)
    const topic = normaliseTopic(idOrTopic)
    const targets = item !== undefined ? [item] : [...this.#items.values()].filter(i => i.topics.includes(topic))
    if (targets.length === 0) throw new InputError('E_NOT_FOUND', `no memory or topic named "${idOrTopic}"`)
    const preview = { count: targets.length, of: this.#items.size, first: targets.sort(byTimeThenSeq).slice(0, 5).map(t => ({ id: t.id, text: t.text.slice(0, 120) })) }
    if (options.yes !== true && isBulk(targets.length, this.#items.size)) return { changed: 0, applied: false, preview }
    const updated = targets.map(t => ({ ...t, visibility }))
    const ops: BatchOp[] = updated.map(u => ({ type: 'put', store: this.#store.items, key: u.id, value: u }))
    if (item === undefined) ops.push({ type: 'put', store: this.#store.topics, key: hash(topic), value: { label: topic, visibility } })
    const changed = new Map(updated.map(u => [u.id, u.visibility]))
    const facts = this.#facts.visibilityOps(new Set(changed.keys()), id => changed.get(id) ?? this.#items.get(id)?.visibility)
    await this.#vault.batch([...ops, ...facts.ops])
    for (const u of updated) this.#items.set(u.id, u)
    this.#facts.commit(facts.updated)
    this.#scopeCache.clear()
    return { changed: updated.length, applied: true, preview }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#init.ownsEmbedder === true) await this.#vectors?.embedder.close()
  }

  /**
   * One source, chunk by chunk (see source-write.ts): each chunk's items, their facts and a pending
   * record in one batch; the last chunk with the source record, which retires the pending ones.
   * A failure or abort rolls back the chunks already written: the source is all or nothing.
   */
  async #writeSource (key: string, source: string, parsed: AsyncIterable<ParsedItem>, signal?: AbortSignal): Promise<{ added: number, known: number }> {
    const ids: string[] = []
    const written: Written = { pending: [], fresh: [] }
    let held: ThreadPart[] | undefined
    try {
      // One chunk is held back so the last one is known when it is written.
      for await (const parts of chunksOf(parsed)) {
        if (held !== undefined) await this.#writeChunk(held, source, { key: `${PENDING_PREFIX}${key}:${written.pending.length}`, ids, written }, signal)
        held = parts
      }
      if (held === undefined) return { added: 0, known: 0 }
      await this.#writeChunk(held, source, { key, ids, written, last: written.pending }, signal)
    } catch (err) {
      // Should the rollback fail too, the pending records stay and the next open rolls back.
      await this.#rollback(written.pending, written.fresh).catch(() => undefined)
      throw err
    }
    return { added: written.fresh.length, known: ids.length - written.fresh.length }
  }

  /** One chunk's batch; with `last`, the source record replaces the pending records of earlier chunks. */
  async #writeChunk (parts: ThreadPart[], source: string, to: { key: string, ids: string[], written: Written, last?: string[] }, signal?: AbortSignal): Promise<void> {
    const built = buildItems(parts, { source, addedAt: new Date().toISOString(), rules: await topicRules(this.#store.topics), df: t => this.#lexical.df(t), total: this.#lexical.size, nouns: this.#nouns })
    const declared = new Map((await this.#declared.reassess(built, this.#topicHost())).updated.map(u => [u.id, u]))
    const items = built.map(i => declared.get(i.id) ?? i)
    // Terms are counted once per item: the persisted term vector and the in-memory index share them.
    const fresh = items.filter(i => !this.#items.has(i.id)).map(item => ({ item, counts: termsOf(item) }))
    const facts = this.#facts.extract(fresh.flatMap(({ item }) => item.from === undefined ? [factSource(item)] : []), this.#extractOptions())
    for (const i of items) to.ids.push(i.id)
    const record: SourceRecord = { source, items: to.last === undefined ? fresh.map(f => f.item.id) : to.ids, at: new Date().toISOString() }
    signal?.throwIfAborted()
    await this.#vault.batch([
      ...fresh.flatMap(f => this.#itemOps(f.item, f.counts)), ...facts.ops, { type: 'put', store: this.#store.sources, key: to.key, value: record },
      ...(to.last ?? []).map((k): BatchOp => ({ type: 'del', store: this.#store.sources, key: k }))
    ])
    // Written: the chunk is pending until the last one lands; then nothing is left to roll back.
    if (to.last === undefined) to.written.pending.push(to.key)
    else to.written.pending.length = 0
    for (const f of fresh) this.#index(f.item, f.counts)
    to.written.fresh.push(...fresh.map(f => f.item.id))
    this.#facts.commit(facts.facts)
  }

  /** Remove the items (and their facts) of chunks whose source never completed, and their pending records. */
  async #rollback (pending: readonly string[], ids: readonly string[]): Promise<void> {
    if (pending.length === 0) return
    const facts = ids.map(id => this.#facts.forgetOps(id))
    const del = (store: BatchOp['store'], key: string): BatchOp => ({ type: 'del', store, key })
    await this.#vault.batch([...ids.flatMap(id => [del(this.#store.items, id), del(this.#store.terms, id)]), ...facts.flatMap(f => f.ops), ...pending.map(k => del(this.#store.sources, k))])
    this.#facts.remove(facts.flatMap(f => f.ids))
    for (const item of ids.flatMap(id => this.#items.get(id) ?? [])) this.#unindex(item)
  }

  #itemOps (item: MemoryItem, counts: { tf: Map<string, number>, len: number }): BatchOp[] {
    return [{ type: 'put', store: this.#store.items, key: item.id, value: item }, { type: 'put', store: this.#store.terms, key: item.id, value: { tf: [...counts.tf], len: counts.len } }]
  }

  #index (item: MemoryItem, counts: { tf: Map<string, number>, len: number }): void {
    this.#items.set(item.id, item)
    const speaker = item.speaker?.toLowerCase()
    if (speaker !== undefined) this.#bySpeaker.set(speaker, (this.#bySpeaker.get(speaker) ?? new Set()).add(item.id))
    const t = timeMs(item)
    if (t !== undefined) this.#times.set(item.id, t)
    this.#latest = undefined
    this.#scopeCache.clear()
    const doc: LexicalDoc = { id: item.id, tf: counts.tf, len: counts.len, thread: item.thread, seq: item.seq }
    this.#lexical.add(doc)
  }

  #unindex (item: MemoryItem): void {
    this.#items.delete(item.id)
    this.#lexical.remove(item.id)
    this.#vectors?.forgetCached(item.id)
    this.#bySpeaker.get(item.speaker?.toLowerCase() ?? '')?.delete(item.id)
    this.#times.delete(item.id)
    this.#latest = undefined
    this.#scopeCache.clear()
  }

  async #load (): Promise<void> {
    const stored = new Map<string, TermRecord>()
    for await (const [id, rec] of this.#store.terms.entries()) stored.set(id, rec)
    for await (const [id, item] of this.#store.items.entries()) {
      const rec = stored.get(id)
      this.#index(item, rec === undefined ? termsOf(item) : { tf: new Map(rec.tf), len: rec.len })
    }
    await this.#facts.load()
    await this.#declared.load()
    // Chunks of a source whose ingest never completed (killed, power cut): roll them back.
    const pending = await pendingChunks(this.#store.sources)
    await this.#rollback(pending.keys, pending.items)
  }

  #extractOptions (): { owner?: string } {
    return this.#init.owner === undefined ? {} : { owner: this.#init.owner }
  }

  /** Ids of the items a scope lets through, cached until the next change to memory. */
  #allowed (scope: Scope): Set<string> {
    const key = JSON.stringify([scope.visibility, scope.topics ?? null])
    let ids = this.#scopeCache.get(key)
    if (ids === undefined) {
      ids = new Set<string>()
      for (const item of this.#items.values()) if (inScope(scope, item)) ids.add(item.id)
      if (this.#scopeCache.size > 64) this.#scopeCache.clear()
      this.#scopeCache.set(key, ids)
    }
    return ids
  }

  #latestTime (): number {
    if (this.#latest === undefined) {
      let latest = 0
      for (const t of this.#times.values()) latest = Math.max(latest, t)
      this.#latest = latest
    }
    return this.#latest === 0 ? Date.now() : this.#latest
  }

  #assertOpen (): void {
    if (this.#closed) throw new StorageError('E_CLOSED', 'the memory is closed')
  }
}
