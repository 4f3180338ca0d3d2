import type { Succession } from '../identity/index.js'
import type { SignedProfile } from './profile.js'

/** Profiles this node has seen (handshakes, DHT lookups), newest kept per peer, bounded in size. */
export class PeerDirectory {
  readonly #profiles = new Map<string, SignedProfile>()
  readonly #max: number
  /** Told of every remembered profile's key-rotation trail (verified with the profile). */
  onSuccession: ((trail: readonly Succession[]) => void) | undefined

  constructor (max = 5_000) {
    this.#max = max
  }

  remember (signed: SignedProfile): void {
    const id = signed.profile.peerId
    if (signed.profile.succession !== undefined) this.onSuccession?.(signed.profile.succession)
    const known = this.#profiles.get(id)
    if (known !== undefined && known.profile.issuedAt > signed.profile.issuedAt) return
    this.#profiles.delete(id)
    this.#profiles.set(id, signed)
    if (this.#profiles.size > this.#max) {
      const oldest = this.#profiles.keys().next().value
      if (oldest !== undefined) this.#profiles.delete(oldest)
    }
  }

  get (peerId: string, now = Date.now()): SignedProfile | undefined {
    const signed = this.#profiles.get(peerId)
    return signed !== undefined && signed.profile.expiresAt > now ? signed : undefined
  }

  list (now = Date.now()): SignedProfile[] {
    return [...this.#profiles.values()].filter(s => s.profile.expiresAt > now)
  }
}
