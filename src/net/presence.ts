import { MessageType, type QueryEvent } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { InputError, NetworkError } from '../errors.js'
import type { PeerDirectory } from './directory.js'
import { withDeadline } from './deadline.js'
import { DHT_PROTOCOL, type SecondMeLibp2p } from './libp2p.js'
import { decodeProfile, encodeProfile, profileKey, type SignedProfile } from './profile.js'
import { topicCid } from './topics.js'
import { Walk } from './walk.js'
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
  /** Fewest DHT peers that accepted the provider record of one topic (0 without topics). */
  providerPeers: number
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
  /** The profile the last announcement stored, and when the next periodic one is due. */
  #stored: SignedProfile | undefined
  #dueAt = 0
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
    this.#schedule(0, false)
  }

  stop (): void {
    this.#controller?.abort()
    this.#controller = undefined
    clearTimeout(this.#timer)
  }

  /**
   * Announce again soon if the profile changed (addresses or fields); a burst of changes makes one
   * announcement. Whether it changed is decided when the burst is over: libp2p reports a relay's
   * address going and the next one coming as separate updates, the last one possibly before the
   * address list it announces has changed.
   */
  refresh (delayMs = 500): void {
    if (this.#controller === undefined) return
    if (this.#busy) {
      this.#again = true
      return
    }
    clearTimeout(this.#timer)
    this.#schedule(delayMs, true)
  }

  #schedule (delay: number, ifChanged: boolean): void {
    const controller = this.#controller
    if (controller === undefined || controller.signal.aborted) return
    this.#timer = setTimeout(() => {
      void this.#tick(controller.signal, ifChanged)
    }, delay)
    this.#timer.unref()
  }

  async #tick (signal: AbortSignal, ifChanged: boolean): Promise<void> {
    if (this.#init.libp2p.getPeers().length === 0) {
      this.#schedule(this.#init.retryMs ?? 1_000, false)
      return
    }
    this.#busy = true
    this.#again = false
    try {
      if (ifChanged && this.#stored !== undefined && await this.#init.ownProfile() === this.#stored) {
        this.#schedule(this.#again ? 500 : Math.max(0, this.#dueAt - Date.now()), this.#again)
        return
      }
      this.lastAnnounce = await withDeadline(this.#init.timeoutMs ?? 30_000, signal, async (s) => await this.announce(s))
      this.#resolveAnnounced()
      const interval = this.#init.intervalMs ?? 10 * 60_000
      this.#dueAt = Date.now() + interval
      this.#schedule(this.#again ? 500 : interval, this.#again)
    } catch {
      if (!signal.aborted) this.#schedule(this.#init.retryMs ?? 1_000, false)
    } finally {
      this.#busy = false
    }
  }

  /**
   * Put the profile record and provide every topic. A record a busy peer did not take in time sits on
   * fewer of the k closest peers than it should, and lookups that reach only the others miss this node
   * (bench:net under load: one announcer unfindable for all its topic's lookups): each store is walked
   * and sent again, within the deadline, until every closest peer the walk found took it (a PUT_VALUE
   * is answered; an ADD_PROVIDER has no answer, so there: the message was written to the peer).
   */
  async announce (signal: AbortSignal): Promise<AnnounceReport> {
    const signed = await this.#init.ownProfile()
    const dht = this.#init.libp2p.services.dht
    const profilePeers = await replicate(signal, async () => storeCount(dht.put(profileKey(signed.profile.peerId), encodeProfile(signed), { signal }), 'PUT_VALUE', dht.k))
    let providerPeers: number | undefined
    for (const topic of signed.profile.topics) {
      const cid = await topicCid(topic)
      const peers = await replicate(signal, async () => storeCount(dht.provide(cid, { signal }), 'ADD_PROVIDER'))
      providerPeers = Math.min(providerPeers ?? peers, peers)
    }
    this.#stored = signed
    return { profilePeers, providerPeers: providerPeers ?? 0, topics: signed.profile.topics.length }
  }

  /** A peer's profile from the DHT (newest valid record), remembered in the directory. */
  async lookup (peerId: string, signal: AbortSignal): Promise<SignedProfile | undefined> {
    // A walk racing a fresh announcement, or through busy peers, may find nothing: walk again after a
    // growing pause, within the caller's deadline (each walk takes three disjoint paths).
    for (let attempt = 0; ; attempt++) {
      const found = await this.#lookupOnce(peerId, signal)
      if (found !== undefined || signal.aborted || attempt + 1 >= LOOKUP_ATTEMPTS) return found
      if (!await pause(RETRY_PAUSE_MS * 2 ** attempt, signal)) return undefined
    }
  }

  async #lookupOnce (peerId: string, signal: AbortSignal): Promise<SignedProfile | undefined> {
    let best: SignedProfile | undefined
    const consider = async (value: Uint8Array): Promise<void> => {
      const signed = await decodeProfile(value, peerId).catch((err: unknown) => { logPresence('bad profile record for %s: %s', peerId, errText(err)); return undefined })
      if (signed !== undefined && (best === undefined || signed.profile.issuedAt > best.profile.issuedAt)) best = signed
    }
    const key = profileKey(peerId)
    const walk = new Walk(this.#init.libp2p.services.dht, this.#init.libp2p.peerId)
    try {
      for await (const event of this.#init.libp2p.services.dht.get(key, { signal })) {
        walk.see(event)
        if (event.name === 'VALUE') await consider(event.value)
      }
    } catch (err) {
      if (best === undefined && !isNotFound(err)) throw lookupError(err, signal)
    }
    if (best === undefined && !signal.aborted) {
      // The record may sit on near peers the walk did not reach: ask them directly.
      const unasked = await walk.unasked(key, await this.#dhtServers())
      await walk.ask(unasked, MessageType.GET_VALUE, key, signal, async (answer) => { if (answer.record !== undefined) await consider(answer.record.value) })
    }
    if (best !== undefined) this.#init.directory.remember(best)
    return best
  }

  /**
   * Connected peers that serve the DHT (identify named its protocol). Home nodes are DHT clients,
   * often reached only through a relay: asking them costs a dial attempt and cannot answer.
   */
  async #dhtServers (): Promise<PeerId[]> {
    const libp2p = this.#init.libp2p
    const servers = await Promise.all(libp2p.getPeers().map(async (peer) => {
      const known = await libp2p.peerStore.get(peer).catch(() => undefined)
      return known?.protocols.includes(DHT_PROTOCOL) === true ? [peer] : []
    }))
    return servers.flat()
  }

  /** Peers that announced `topic` (excluding this node), up to `limit`. */
  async findTopic (topic: string, options: { limit?: number, signal: AbortSignal }): Promise<string[]> {
    const found = new Set<string>()
    const limit = options.limit ?? 20
    const cid = await topicCid(topic)
    // One walk can miss announcers (a busy peer holding some provider records does not answer in
    // time): walk again, after a pause, until a walk adds no one new or the limit is reached.
    for (let attempt = 0; attempt < LOOKUP_ATTEMPTS && found.size < limit; attempt++) {
      if (attempt > 0 && !await pause(RETRY_PAUSE_MS * 2 ** (attempt - 1), options.signal)) break
      const before = found.size
      await this.#findOnce(cid, found, limit, options.signal)
      if (attempt > 0 && found.size === before && found.size > 0) break
    }
    return [...found].slice(0, limit)
  }

  async #findOnce (cid: Awaited<ReturnType<typeof topicCid>>, found: Set<string>, limit: number, signal: AbortSignal): Promise<void> {
    const self = this.#init.libp2p.peerId.toString()
    const add = (providers: ReadonlyArray<{ id: { toString: () => string } }>): void => {
      for (const provider of providers) {
        const id = provider.id.toString()
        if (id !== self && found.size < limit) found.add(id)
      }
    }
    const walk = new Walk(this.#init.libp2p.services.dht, this.#init.libp2p.peerId)
    try {
      for await (const event of this.#init.libp2p.services.dht.findProviders(cid, { signal })) {
        walk.see(event)
        if (event.name === 'PROVIDER') add(event.providers)
        if (found.size >= limit) return
      }
    } catch (err) {
      if (found.size === 0 && !isNotFound(err) && !signal.aborted) throw lookupError(err, signal)
    }
    if (signal.aborted) return
    // Provider records stored while a near peer was busy sit on the next nearest, where this walk
    // (which stops at the k nearest that answered) does not go: ask those peers directly.
    const key = cid.multihash.bytes
    const unasked = await walk.unasked(key, await this.#dhtServers())
    await walk.ask(unasked, MessageType.GET_PROVIDERS, key, signal, async (answer) => { add(answer.providers) })
  }
}

/** Stores of one record per announcement at most (the first, then again while peers did not acknowledge). */
const STORE_ATTEMPTS = 3

interface StoreCount {
  /** Peers that took the record (answered a PUT_VALUE; were sent an ADD_PROVIDER). */
  acked: number
  /** Peers it was meant for: the closest peers the walk found (k, or fewer in a small network). */
  meant: number
}

/** Store until every peer meant acknowledged, at most STORE_ATTEMPTS times; the best count. */
async function replicate (signal: AbortSignal, store: () => Promise<StoreCount>): Promise<number> {
  let best = 0
  for (let attempt = 0; attempt < STORE_ATTEMPTS; attempt++) {
    signal.throwIfAborted()
    const { acked, meant } = await store()
    best = Math.max(best, acked)
    if (acked >= meant) break
    logPresence('a record reached %d of %d peers: storing it again', acked, meant)
  }
  return best
}

/**
 * Run a put/provide (they act only while iterated) and count its acknowledgements. provide() names
 * the peers meant (FINAL_PEER); put() does not, so there they are the k closest of the peers that
 * answered the walk, which is what put() sends to.
 */
async function storeCount (events: AsyncIterable<QueryEvent>, message: 'PUT_VALUE' | 'ADD_PROVIDER', k = 0): Promise<StoreCount> {
  let acked = 0
  let finals = 0
  const walked = new Set<string>()
  for await (const event of events) {
    if (event.name === 'FINAL_PEER') finals++
    else if (event.name === 'PEER_RESPONSE' && event.messageName === message) acked++
    else if (event.name === 'PEER_RESPONSE' && event.messageName === 'FIND_NODE') walked.add(event.from.toString())
  }
  return { acked, meant: message === 'ADD_PROVIDER' ? finals : Math.min(k, walked.size) }
}

/** Walks per lookup at most, with pauses of 250, 500, 1000 ms between them. */
const LOOKUP_ATTEMPTS = 4
const RETRY_PAUSE_MS = 250

/** Wait `ms`; false when `signal` aborts first. */
async function pause (ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  return await new Promise<boolean>(resolve => {
    const done = (ok: boolean): void => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); resolve(ok) }
    const onAbort = (): void => { done(false) }
    const timer = setTimeout(() => { done(true) }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
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
