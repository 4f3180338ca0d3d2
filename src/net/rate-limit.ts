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
  readonly #maxPeers: number
  readonly #buckets = new Map<string, Bucket>()

  constructor (init: RateLimitInit = {}) {
    this.#capacity = init.capacity ?? 30
    this.#refill = init.refillPerSecond ?? 15
    this.#maxPeers = init.maxPeers ?? 10_000
  }

  /** Take one token for `peer`; false when the peer is over its quota. */
  take (peer: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(peer) ?? { tokens: this.#capacity, at: now }
    this.#buckets.delete(peer)
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) / 1000 * this.#refill)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    this.#buckets.set(peer, bucket)
    if (this.#buckets.size > this.#maxPeers) {
      const oldest = this.#buckets.keys().next().value
      if (oldest !== undefined) this.#buckets.delete(oldest)
    }
    return allowed
  }
}
