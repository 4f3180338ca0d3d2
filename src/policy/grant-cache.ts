import { LRUCache } from 'lru-cache'
import type { GrantToken } from './grant.js'

// Checking a chain's signatures costs more than all the rest of a memory request (an Ed25519
// verification per link). What they prove — each link signed by its issuer, naming and narrowing its
// parent — depends only on the token's exact content, so a chain that passed once is remembered under
// that content. Nothing that changes with time or with the request is kept here: the owner,
// the audience, revocation, the time window, the action and the topics are checked on every request.

/** A chain whose signatures and links were checked: the tokens child first, and their grant ids. */
export interface CheckedChain {
  readonly links: readonly GrantToken[]
  readonly ids: readonly string[]
}

export class VerifiedGrantCache {
  readonly #entries: LRUCache<string, CheckedChain>

  /** Keys are tokens' JSON text (a few hundred bytes each; at most 16 KiB, the compact limit). */
  constructor (maxEntries = 256) {
    this.#entries = new LRUCache({ max: maxEntries })
  }

  get size (): number {
    return this.#entries.size
  }

  /**
   * The key of a parsed token. A parsed token holds only the schema's fields and JSON values, so its
   * JSON text is its whole content (signatures and parents included): equal keys, equal tokens.
   */
  keyOf (token: GrantToken): string {
    // The text itself, not a digest of it: a Map hashes a string key more cheaply than SHA-256 does.
    return JSON.stringify(token)
  }

  get (key: string): CheckedChain | undefined {
    return this.#entries.get(key)
  }

  set (key: string, chain: CheckedChain): void {
    // A private copy: a caller that changes the token it got back cannot change what is cached.
    this.#entries.set(key, Object.freeze({ links: Object.freeze(structuredClone([...chain.links])), ids: Object.freeze([...chain.ids]) }))
  }
}
