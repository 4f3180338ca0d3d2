import { LRUCache } from 'lru-cache'
import type { Succession } from '../identity/index.js'
import type { SignedProfile } from './profile.js'

/** Profiles this node has seen (handshakes, DHT lookups), newest kept per peer, bounded in size. */
export class PeerDirectory {
  /** Least recently remembered dropped first; reading does not refresh (peek). */
  readonly #profiles: LRUCache<string, SignedProfile>
  /** Told of every remembered profile's key-rotation trail (verified with the profile). */
  onSuccession: ((trail: readonly Succession[]) => void) | undefined

  constructor (max = 5_000) {
    this.#profiles = new LRUCache({ max })
  }

  remember (signed: SignedProfile): void {
    const id = signed.profile.peerId
    if (signed.profile.succession !== undefined) this.onSuccession?.(signed.profile.succession)
    const known = this.#profiles.peek(id)
    if (known !== undefined && known.profile.issuedAt > signed.profile.issuedAt) return
    this.#profiles.set(id, signed)
  }

  get (peerId: string, now = Date.now()): SignedProfile | undefined {
    const signed = this.#profiles.peek(peerId)
    return signed !== undefined && signed.profile.expiresAt > now ? signed : undefined
  }

  list (now = Date.now()): SignedProfile[] {
    // Oldest first, as remembered.
    return [...this.#profiles.rvalues()].filter((s): s is SignedProfile => s !== undefined && s.profile.expiresAt > now)
  }
}
