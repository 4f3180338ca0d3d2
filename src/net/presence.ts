import { peerIdFromString } from '@libp2p/peer-id'
import { InputError, NetworkError } from '../errors.js'
import type { PeerDirectory } from './directory.js'
import { withDeadline } from './deadline.js'
import type { SecondMeLibp2p } from './libp2p.js'
import { decodeProfile, encodeProfile, profileKey, type SignedProfile } from './profile.js'
import { topicCid } from './topics.js'
import { errText, log } from '../log.js'

const logPresence = log('net:presence')

export interface PresenceInit {
  libp2p: SecondMeLibp2p
  /** The node's current signed profile (re-signed by the caller when it nears expiry). */
  ownProfile: () => Promise<SignedProfile>
  directory: PeerDirectory
  /** Re-announce period. @default 10 minutes */
  intervalMs?: number
  /** Retry period while no peer is connected yet. @default 1_000 */
  retryMs?: number
  /** Longest one announcement may take. @default 30_000 */
  timeoutMs?: number
}

export interface AnnounceReport {
  /** DHT peers that accepted the profile record. */
  profilePeers: number
  topics: number
}

/**
 * The node on the DHT: its signed profile under /secondme/profile/<peerId> and a provider record
 * per topic, announced once a peer is connected and then again every interval until stopped.
 */
export class Presence {
  readonly #init: PresenceInit
  #controller: AbortController | undefined
  #timer: NodeJS.Timeout | undefined
  #busy = false
  #again = false
  #announced: Promise<void>
  #resolveAnnounced: () => void
  lastAnnounce: AnnounceReport | undefined

  constructor (init: PresenceInit) {
    this.#init = init
    let resolve: () => void = () => {}
    this.#announced = new Promise<void>(r => { resolve = r })
    this.#resolveAnnounced = resolve
  }

  /** Resolves after the first successful announcement. */
  get announced (): Promise<void> {
    return this.#announced
  }

  start (): void {
    if (this.#controller !== undefined) return
    this.#controller = new AbortController()
    this.#schedule(0)
  }

  stop (): void {
    this.#controller?.abort()
    this.#controller = undefined
    clearTimeout(this.#timer)
  }

  /** Announce again soon (the addresses or the profile changed); a burst of changes makes one announcement. */
  refresh (delayMs = 500): void {
    if (this.#controller === undefined) return
    if (this.#busy) {
      this.#again = true
      return
    }
    clearTimeout(this.#timer)
    this.#schedule(delayMs)
  }

  #schedule (delay: number): void {
    const controller = this.#controller
    if (controller === undefined || controller.signal.aborted) return
    this.#timer = setTimeout(() => {
      void this.#tick(controller.signal)
    }, delay)
    this.#timer.unref()
  }

  async #tick (signal: AbortSignal): Promise<void> {
    if (this.#init.libp2p.getPeers().length === 0) {
      this.#schedule(this.#init.retryMs ?? 1_000)
      return
    }
    this.#busy = true
    this.#again = false
    try {
      this.lastAnnounce = await withDeadline(this.#init.timeoutMs ?? 30_000, signal, async (s) => await this.announce(s))
      this.#resolveAnnounced()
      this.#schedule(this.#again ? 500 : this.#init.intervalMs ?? 10 * 60_000)
    } catch {
      if (!signal.aborted) this.#schedule(this.#init.retryMs ?? 1_000)
    } finally {
      this.#busy = false
    }
  }

  /** Put the profile record and provide every topic once. */
  async announce (signal: AbortSignal): Promise<AnnounceReport> {
    const signed = await this.#init.ownProfile()
    const dht = this.#init.libp2p.services.dht
    let profilePeers = 0
    for await (const event of dht.put(profileKey(signed.profile.peerId), encodeProfile(signed), { signal })) {
      if (event.name === 'PEER_RESPONSE') profilePeers++
    }
    for (const topic of signed.profile.topics) {
      for await (const _event of dht.provide(await topicCid(topic), { signal })) {
        // provide() only acts while iterated
      }
    }
    return { profilePeers, topics: signed.profile.topics.length }
  }

  /** A peer's profile from the DHT (newest valid record), remembered in the directory. */
  async lookup (peerId: string, signal: AbortSignal): Promise<SignedProfile | undefined> {
    // One retry: a lookup racing a fresh announcement (or a busy peer) may find nothing the first time.
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.#lookupOnce(peerId, signal)
      if (found !== undefined || signal.aborted) return found
    }
    return undefined
  }

  async #lookupOnce (peerId: string, signal: AbortSignal): Promise<SignedProfile | undefined> {
    let best: SignedProfile | undefined
    try {
      for await (const event of this.#init.libp2p.services.dht.get(profileKey(peerId), { signal })) {
        if (event.name !== 'VALUE') continue
        const signed = await decodeProfile(event.value, peerId).catch((err: unknown) => { logPresence('bad profile record for %s: %s', peerId, errText(err)); return undefined })
        if (signed !== undefined && (best === undefined || signed.profile.issuedAt > best.profile.issuedAt)) best = signed
      }
    } catch (err) {
      if (best === undefined && !isNotFound(err)) throw lookupError(err, signal)
    }
    if (best !== undefined) this.#init.directory.remember(best)
    return best
  }

  /** Peers that announced `topic` (excluding this node), up to `limit`. */
  async findTopic (topic: string, options: { limit?: number, signal: AbortSignal }): Promise<string[]> {
    const self = this.#init.libp2p.peerId.toString()
    const found = new Set<string>()
    const limit = options.limit ?? 20
    try {
      for await (const event of this.#init.libp2p.services.dht.findProviders(await topicCid(topic), { signal: options.signal })) {
        if (event.name !== 'PROVIDER') continue
        for (const provider of event.providers) {
          const id = provider.id.toString()
          if (id !== self) found.add(id)
        }
        if (found.size >= limit) break
      }
    } catch (err) {
      if (found.size === 0 && !isNotFound(err)) throw lookupError(err, options.signal)
    }
    return [...found].slice(0, limit)
  }
}

function isNotFound (err: unknown): boolean {
  return err instanceof Error && err.name === 'NotFoundError'
}

function lookupError (err: unknown, signal: AbortSignal): NetworkError {
  if (signal.aborted) return new NetworkError('E_TIMEOUT', 'the DHT lookup timed out', { cause: err })
  return new NetworkError('E_PEER_UNREACHABLE', `the DHT lookup failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}

export function parsePeerId (peer: string): ReturnType<typeof peerIdFromString> {
  try {
    return peerIdFromString(peer)
  } catch (err) {
    throw new InputError('E_BAD_INPUT', `"${peer.slice(0, 80)}" is not a peer id`, { cause: err })
  }
}
