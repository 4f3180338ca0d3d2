import { PolicyError } from '../errors.js'

// Every request carries {nonce, created, expires}. A request is fresh when it was created no later
// than now + skew, has not expired and lives at most maxTtlMs; its nonce is accepted once per peer.
// A nonce is remembered only until its request expires, which bounds the cache; when the cache is
// full of live nonces new requests are refused rather than forgetting one (which would allow a replay).

export interface RequestStamp {
  nonce: string
  created: number
  expires: number
}

export interface ReplayCacheInit {
  /** @default 100_000 */
  maxEntries?: number
  /** @default 120_000 (2 min) */
  maxTtlMs?: number
  /** @default 30_000 */
  skewMs?: number
}

export class ReplayCache {
  readonly #seen = new Map<string, number>()
  readonly #maxEntries: number
  readonly #maxTtlMs: number
  readonly #skewMs: number

  constructor (init: ReplayCacheInit = {}) {
    this.#maxEntries = init.maxEntries ?? 100_000
    this.#maxTtlMs = init.maxTtlMs ?? 120_000
    this.#skewMs = init.skewMs ?? 30_000
  }

  get size (): number {
    return this.#seen.size
  }

  /** Accept a request stamp once; E_GRANT_REPLAY for a reused nonce or a stamp outside its window. */
  check (peer: string, stamp: RequestStamp, now = Date.now()): void {
    const refuse = (why: string): never => { throw new PolicyError('E_GRANT_REPLAY', `request refused: ${why}`, { data: { reason: why } }) }
    if (typeof stamp.nonce !== 'string' || stamp.nonce.length < 8 || stamp.nonce.length > 128) refuse('bad nonce')
    if (!Number.isSafeInteger(stamp.created) || !Number.isSafeInteger(stamp.expires)) refuse('bad timestamps')
    if (stamp.created > now + this.#skewMs) refuse('created in the future')
    if (stamp.expires <= now - this.#skewMs) refuse('expired')
    if (stamp.expires <= stamp.created || stamp.expires - stamp.created > this.#maxTtlMs) refuse('lifetime out of range')
    const key = `${peer}\u0000${stamp.nonce}`
    const until = this.#seen.get(key)
    if (until !== undefined && until > now) refuse('nonce already used')
    if (this.#seen.size >= this.#maxEntries) this.#prune(now)
    if (this.#seen.size >= this.#maxEntries) throw new PolicyError('E_GRANT_REPLAY', 'request refused: too many requests in flight', { data: { reason: 'cache full' } })
    this.#seen.set(key, stamp.expires + this.#skewMs)
  }

  #prune (now: number): void {
    for (const [key, until] of this.#seen) if (until <= now) this.#seen.delete(key)
  }
}
