import { InputError } from '../errors.js'
import { normaliseTopic } from '../scope.js'
import type { BatchOp, Vault, VaultStore } from '../vault/index.js'
import { DECLARED_STORE, declaredKey, selects, topicTerms, topicText, type DeclaredTopic } from './declared.js'
import type { MemoryItem } from './types.js'

/** What the topic book needs from the memory it serves. */
export interface TopicHost {
  items: () => Iterable<MemoryItem>
  termsOf: (item: MemoryItem) => ReadonlySet<string>
  /** The item's unit-length embedding, when it has one. */
  vectorOf: (id: string) => Float32Array | undefined
  /** Embed a text (undefined without an embedder). */
  embed: (text: string) => Promise<Float32Array | undefined>
}

export interface TopicChange {
  ops: BatchOp[]
  /** Items whose topic labels changed (to write and index). */
  updated: MemoryItem[]
}

/**
 * The owner's declared topics (encrypted in their own store) and the memberships they give: each
 * declared label is kept on exactly the items the topic selects, so scopes, grants and the
 * announced profile all go by the same labels.
 */
export class TopicBook {
  readonly #store: VaultStore<DeclaredTopic>
  readonly #topics = new Map<string, DeclaredTopic>()
  readonly #vectors = new Map<string, Float32Array>()

  constructor (vault: Vault) {
    this.#store = vault.store<DeclaredTopic>(DECLARED_STORE)
  }

  async load (): Promise<void> {
    for await (const [key, t] of this.#store.entries()) this.#topics.set(key, t)
  }

  list (): DeclaredTopic[] {
    return [...this.#topics.values()].sort((a, b) => a.label.localeCompare(b.label))
  }

  has (label: string): boolean {
    return this.#topics.has(declaredKey(label))
  }

  /** Declare (or re-describe) a topic and give its label to the items it selects. */
  async declare (label: string, about: string | undefined, host: TopicHost): Promise<TopicChange & { topic: DeclaredTopic }> {
    const name = normaliseTopic(label)
    if (name === '' || name.length > 100) throw new InputError('E_BAD_INPUT', 'a topic label needs 1 to 100 characters')
    const topic: DeclaredTopic = { label: name, ...(about === undefined || about.trim() === '' ? {} : { about: about.trim() }), at: new Date().toISOString() }
    this.#topics.set(name, topic)
    this.#vectors.delete(name)
    const change = await this.reassess([...host.items()], host, [topic])
    change.ops.push({ type: 'put', store: this.#store, key: name, value: topic })
    return { ...change, topic }
  }

  /**
   * Give each item the declared labels that select it (only `topics`, default all). A label that
   * selection gave and no longer gives is taken away; a label the owner or the source put on the
   * item stays, selected or not. Items without an embedding yet go by words alone until they have one.
   */
  async reassess (items: readonly MemoryItem[], host: TopicHost, topics: readonly DeclaredTopic[] = this.list()): Promise<TopicChange> {
    const prepared = await Promise.all(topics.map(async t => ({ label: t.label, terms: topicTerms(t), vector: await this.#vector(t, host) })))
    // No declared topic: nothing can change (and no item's words need computing, on a 100k-item ingest).
    if (prepared.length === 0) return { ops: [], updated: [] }
    const updated: MemoryItem[] = []
    for (const item of items) {
      const words = host.termsOf(item)
      const v = host.vectorOf(item.id)
      let labels = item.topics
      let selected = item.selected ?? []
      for (const t of prepared) {
        const cosine = v === undefined || t.vector === undefined ? undefined : dot(v, t.vector)
        const inTopic = selects(words, t.terms, cosine)
        const own = labels.includes(t.label) && !selected.includes(t.label)
        if (own) continue
        if (inTopic && !labels.includes(t.label)) { labels = [...labels, t.label]; selected = [...selected, t.label] }
        if (!inTopic && labels.includes(t.label)) { labels = labels.filter(l => l !== t.label); selected = selected.filter(l => l !== t.label) }
      }
      if (labels !== item.topics) updated.push(withLabels(item, labels, selected))
    }
    return { ops: [], updated }
  }

  /** Rename a topic (declared or not): its label changes on every item. */
  rename (from: string, to: string, items: Iterable<MemoryItem>): TopicChange {
    return this.merge([from], to, items)
  }

  /** Merge topics into one label (declared or not); the merged declarations become one. */
  merge (from: readonly string[], into: string, items: Iterable<MemoryItem>): TopicChange {
    const target = normaliseTopic(into)
    const sources = from.map(normaliseTopic).filter(f => f !== target)
    if (target === '' || sources.length === 0) throw new InputError('E_BAD_INPUT', 'name the topic(s) to merge and a different target')
    const updated: MemoryItem[] = []
    for (const item of items) {
      if (!item.topics.some(t => sources.includes(t))) continue
      const mapped = (t: string): string => sources.includes(t) ? target : t
      const topics = [...new Set(item.topics.map(mapped))]
      // A merged label stays selection's only if selection gave every label merged into it.
      const selected = topics.filter(l => item.topics.filter(t => mapped(t) === l).every(t => item.selected?.includes(t) === true))
      updated.push(withLabels(item, topics, selected))
    }
    const declared = [...sources, target].flatMap(s => this.#topics.get(s) ?? [])
    if (updated.length === 0 && declared.length === 0) throw new InputError('E_NOT_FOUND', `no topic named ${from.join(', ')}`)
    const ops: BatchOp[] = sources.filter(s => this.#topics.has(s)).map(s => ({ type: 'del', store: this.#store, key: s }))
    if (declared.length > 0) {
      const about = [...new Set(declared.flatMap(d => [d.label === target ? '' : d.label, d.about ?? '']).filter(x => x !== ''))].join(', ')
      const topic: DeclaredTopic = { label: target, ...(about === '' ? {} : { about }), at: new Date().toISOString() }
      ops.push({ type: 'put', store: this.#store, key: target, value: topic })
      for (const s of sources) { this.#topics.delete(s); this.#vectors.delete(s) }
      this.#topics.set(target, topic)
      this.#vectors.delete(target)
    }
    return { ops, updated }
  }

  /** Forget a topic: its declaration and its label on every item (the items stay). */
  remove (label: string, items: Iterable<MemoryItem>): TopicChange {
    const name = normaliseTopic(label)
    const updated = [...items].filter(i => i.topics.includes(name)).map(i => withLabels(i, i.topics.filter(t => t !== name), (i.selected ?? []).filter(t => t !== name)))
    if (updated.length === 0 && !this.#topics.has(name)) throw new InputError('E_NOT_FOUND', `no topic named ${label}`)
    const ops: BatchOp[] = this.#topics.has(name) ? [{ type: 'del', store: this.#store, key: name }] : []
    this.#topics.delete(name)
    this.#vectors.delete(name)
    return { ops, updated }
  }

  async #vector (t: DeclaredTopic, host: TopicHost): Promise<Float32Array | undefined> {
    // Only a real vector is cached: a words-only pass must not stop a later pass from embedding.
    if (!this.#vectors.has(t.label)) {
      const v = await host.embed(topicText(t))
      if (v === undefined) return undefined
      this.#vectors.set(t.label, v)
    }
    return this.#vectors.get(t.label)
  }
}

/** The item with these labels; `selected` is kept only when some label came from selection. */
function withLabels (item: MemoryItem, topics: string[], selected: string[]): MemoryItem {
  const { selected: _old, ...rest } = item
  return selected.length === 0 ? { ...rest, topics } : { ...rest, topics, selected }
}

function dot (a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0)
  return s
}
