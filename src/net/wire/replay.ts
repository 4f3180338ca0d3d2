import { NetworkError, PolicyError } from '../../errors.js'
import { MAX_CLOCK_SKEW_MS, MAX_REQUEST_TTL_MS } from './frames.js'

// Every request carries created/expires/nonce. A request is fresh when it was created no later than
// our clock plus the skew, has not expired and lives at most MAX_REQUEST_TTL_MS; its nonce may be
// used once. Seen nonces are kept only until their request expires, which bounds the cache.

export class ReplayGuard {
  readonly #seen = new Map<string, number>()
  readonly #maxEntries: number
  #sincePrune = 0

  constructor (maxEntries = 100_000) {
    this.#maxEntries = maxEntries
  }

  check (from: string, frame: { created: number, expires: number, nonce: string }, now = Date.now()): void {
    if (frame.created > now + MAX_CLOCK_SKEW_MS) throw new NetworkError('E_BAD_MESSAGE', 'request is created in the future')
    if (frame.expires <= now) throw new NetworkError('E_TIMEOUT', 'request has expired')
    if (frame.expires - frame.created > MAX_REQUEST_TTL_MS) throw new NetworkError('E_BAD_MESSAGE', 'request lifetime is too long')
    const key = `${from}/${frame.nonce}`
    if (this.#seen.has(key)) throw new PolicyError('E_GRANT_REPLAY', 'request nonce was already used')
    this.#prune(now, this.#seen.size >= this.#maxEntries)
    if (this.#seen.size >= this.#maxEntries) throw new NetworkError('E_RATE_LIMITED', 'too many requests in flight')
    this.#seen.set(key, frame.expires + MAX_CLOCK_SKEW_MS)
  }

  get size (): number {
    return this.#seen.size
  }

  #prune (now: number, full: boolean): void {
    // A full sweep every 1024 inserts keeps the cost per request constant; a full cache is swept at
    // once, so expired nonces make room (live ones are never dropped: that would allow a replay).
    if (++this.#sincePrune < 1024 && !full) return
    this.#sincePrune = 0
    for (const [key, until] of this.#seen) {
      if (until <= now) this.#seen.delete(key)
    }
  }
}
