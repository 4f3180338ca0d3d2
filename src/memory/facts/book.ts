import type { Visibility } from '../../scope.js'
import { OWNER_SCOPE, type Scope } from '../../scope.js'
import type { BatchOp, Vault, VaultStore } from '../../vault/index.js'
import { extractFacts, strictest } from './extract.js'
import type { ExtractOptions, Fact, FactCategory, FactSource } from './types.js'

export const FACT_STORE = 'memory-facts'

export interface FactQuery {
  /** Only facts about this person (case-insensitive; a first name matches the full name). */
  about?: string
  category?: FactCategory
  scope?: Scope
}

/**
 * The L1 facts of a memory, kept encrypted in their own vault store and in memory by id, with an
 * index from each source item to the facts drawn from it (for visibility changes and forgetting).
 */
export class FactBook {
  readonly #store: VaultStore<Fact>
  readonly #facts = new Map<string, Fact>()
  readonly #bySource = new Map<string, Set<string>>()

  constructor (vault: Vault) {
    this.#store = vault.store<Fact>(FACT_STORE)
  }

  async load (): Promise<void> {
    for await (const [, fact] of this.#store.entries()) this.#add(fact)
  }

  get size (): number {
    return this.#facts.size
  }

  get (id: string): Fact | undefined {
    return this.#facts.get(id)
  }

  /** Facts in scope (facts carry no topics of their own: a topic scope goes by their sources'). */
  list (query: FactQuery = {}, sourceInScope?: (id: string) => boolean): Fact[] {
    const scope = query.scope ?? OWNER_SCOPE
    const about = query.about?.toLowerCase().trim()
    return [...this.#facts.values()].filter(f =>
      (about === undefined || samePerson(f.person, about)) &&
      (query.category === undefined || f.category === query.category) &&
      scope.visibility.includes(f.visibility) &&
      (scope.topics === undefined || sourceInScope === undefined || f.sources.some(sourceInScope))
    ).sort((a, b) => (a.said ?? '').localeCompare(b.said ?? '') || a.id.localeCompare(b.id))
  }

  /** Extract facts from new items; the vault ops to write them (applied by the caller's batch). */
  extract (items: readonly FactSource[], options: ExtractOptions): { facts: Fact[], ops: BatchOp[] } {
    const facts = extractFacts(items, options).filter(f => !this.#facts.has(f.id))
    return { facts, ops: facts.map(f => ({ type: 'put', store: this.#store, key: f.id, value: f })) }
  }

  /** Make written facts visible to reads (after their batch succeeded). */
  commit (facts: readonly Fact[]): void {
    for (const f of facts) this.#add(f)
  }

  /** Ops that give facts drawn from `changed` items the strictest visibility of their sources. */
  visibilityOps (changed: ReadonlySet<string>, visibilityOf: (id: string) => Visibility | undefined): { ops: BatchOp[], updated: Fact[] } {
    const ids = new Set([...changed].flatMap(s => [...(this.#bySource.get(s) ?? [])]))
    const updated: Fact[] = []
    for (const id of ids) {
      const fact = this.#facts.get(id)
      if (fact === undefined) continue
      const visibility = strictest(fact.sources.map(s => visibilityOf(s) ?? 'private'))
      if (visibility !== fact.visibility) updated.push({ ...fact, visibility })
    }
    return { ops: updated.map(f => ({ type: 'put', store: this.#store, key: f.id, value: f })), updated }
  }

  /** Ops that delete every fact drawn from the item (a fact never outlives a source). */
  forgetOps (itemId: string): { ops: BatchOp[], ids: string[] } {
    const ids = [...(this.#bySource.get(itemId) ?? [])]
    return { ops: ids.map(id => ({ type: 'del', store: this.#store, key: id })), ids }
  }

  remove (ids: readonly string[]): void {
    for (const id of ids) {
      const fact = this.#facts.get(id)
      if (fact === undefined) continue
      this.#facts.delete(id)
      for (const s of fact.sources) this.#bySource.get(s)?.delete(id)
    }
  }

  /** Ops that replace every fact by a fresh extraction (after the extractor improved). */
  rebuildOps (items: readonly FactSource[], options: ExtractOptions): { ops: BatchOp[], facts: Fact[] } {
    const facts = extractFacts(items, options)
    const fresh = new Set(facts.map(f => f.id))
    const ops: BatchOp[] = [...this.#facts.keys()].filter(id => !fresh.has(id)).map(id => ({ type: 'del', store: this.#store, key: id }))
    ops.push(...facts.map((f): BatchOp => ({ type: 'put', store: this.#store, key: f.id, value: f })))
    return { ops, facts }
  }

  replaceAll (facts: readonly Fact[]): void {
    this.#facts.clear()
    this.#bySource.clear()
    for (const f of facts) this.#add(f)
  }

  #add (fact: Fact): void {
    this.#facts.set(fact.id, fact)
    for (const s of fact.sources) this.#bySource.set(s, (this.#bySource.get(s) ?? new Set()).add(fact.id))
  }
}

function samePerson (person: string, about: string): boolean {
  const p = person.toLowerCase()
  return p === about || p.split(/\s+/)[0] === about || about.split(/\s+/)[0] === p
}
