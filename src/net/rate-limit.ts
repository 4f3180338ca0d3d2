import { LRUCache } from 'lru-cache'

// Per-peer token bucket: each peer may burst `capacity` requests, then `refillPerSecond` more each
// second. The map of buckets is bounded so a flood of fresh peer ids cannot grow memory.

export interface RateLimitInit {
  /** @default 30 */
  capacity?: number
  /** @default 15 */
  refillPerSecond?: number
  /** Buckets kept at most (least recently used dropped). @default 10_000 */
  maxPeers?: number
}

interface Bucket { tokens: number, at: number }

export class RateLimiter {
  readonly #capacity: number
  readonly #refill: number
  readonly #buckets: LRUCache<string, Bucket>

  constructor (init: RateLimitInit = {}) {
    this.#capacity = init.capacity ?? 30
    this.#refill = init.refillPerSecond ?? 15
    this.#buckets = new LRUCache({ max: init.maxPeers ?? 10_000 })
  }

  /** Take one token for `peer`; false when the peer is over its quota. */
  take (peer: string, now = Date.now()): boolean {
    let bucket = this.#buckets.get(peer)
    if (bucket === undefined) {
      bucket = { tokens: this.#capacity, at: now }
      this.#buckets.set(peer, bucket)
    }
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) / 1000 * this.#refill)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    return allowed
  }
}
