import { randomBytes } from 'node:crypto'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { NetworkError } from '../errors.js'
import { withDeadline } from './deadline.js'
import type { PeerDirectory } from './directory.js'
import type { SecondMeLibp2p } from './libp2p.js'
import type { GrantToken, IntroAsk, IntroDecision } from './ports.js'
import { parsePeerId, type Presence } from './presence.js'
import { verifyProfile, type SignedProfile } from './profile.js'
import { converseSpec, type ConverseReply } from './protocols/converse.js'
import { handshakeSpec, helloOf } from './protocols/handshake.js'
import { introSpec } from './protocols/intro.js'
import { memorySpec, type MemoryItem } from './protocols/memory.js'
import { RpcSession } from './wire/client.js'
import { cleanPeerText } from '../util/terminal.js'
import type { Kinds, ProtocolSpec } from './wire/spec.js'
import { errText, log } from '../log.js'

const logClient = log('net:client')

export interface NetClientInit {
  libp2p: SecondMeLibp2p
  privateKey: PrivateKey
  presence: Presence
  directory: PeerDirectory
  ownProfile: () => Promise<SignedProfile>
  protocols: readonly string[]
  timeoutMs: number
  maxFrameBytes: number
  signal: AbortSignal
}

/** Outbound side of the protocols: each call opens a stream to the peer, or reuses a session. */
export class NetClient {
  readonly #init: NetClientInit

  constructor (init: NetClientInit) {
    this.#init = init
  }

  /** Open a reusable session (one stream) to `peer` for `spec`; close it when done. */
  async session<K extends Kinds> (peer: string, spec: ProtocolSpec<K>, signal?: AbortSignal): Promise<RpcSession<K>> {
    const id = parsePeerId(peer)
    if (id.equals(this.#init.libp2p.peerId)) throw new NetworkError('E_PEER_UNREACHABLE', 'a node does not talk to itself')
    const source = await this.#knowAddresses(peer, id, signal)
    const open = async (): Promise<RpcSession<K>> => await RpcSession.open(this.#init.libp2p, id, spec, {
      privateKey: this.#init.privateKey,
      selfId: this.#init.libp2p.peerId.toString(),
      timeoutMs: this.#init.timeoutMs,
      maxFrameBytes: this.#init.maxFrameBytes,
      signal: this.#parent(signal)
    })
    try {
      return await open()
    } catch (err) {
      // A remembered profile can be stale (a node behind NAT re-announces once it holds a relay
      // slot): look the peer up afresh and try its current addresses once.
      if (source !== 'remembered' || !(err instanceof NetworkError) || err.code !== 'E_PEER_UNREACHABLE') throw err
      if (await this.#lookUpAddresses(peer, id, signal) === undefined) throw err
      return await open()
    }
  }

  async handshake (peer: string, signal?: AbortSignal): Promise<SignedProfile> {
    const hello = await this.#once(peer, handshakeSpec, 'hello', helloOf(await this.#init.ownProfile(), this.#init.protocols), signal)
    const profile = await verifyProfile(hello.profile, peer)
    this.#init.directory.remember(profile)
    return profile
  }

  /**
   * A grant issued to this node's id before a key rotation: the peer must see the succession trail
   * in our profile first (once per peer and run), or it refuses the audience.
   */
  async #proveSuccession (peer: string, grant: GrantToken, signal?: AbortSignal): Promise<void> {
    if (grant.aud === this.#init.libp2p.peerId.toString() || this.#provedTo.has(peer)) return
    await this.handshake(peer, signal)
    this.#provedTo.add(peer)
  }

  readonly #provedTo = new Set<string>()

  async queryMemory (peer: string, grant: GrantToken, query: string, k = 5, signal?: AbortSignal): Promise<MemoryItem[]> {
    await this.#proveSuccession(peer, grant, signal)
    const answer = await this.#once(peer, memorySpec, 'query', { grant, query, k }, signal)
    // A peer's text is cleaned on receipt: whatever shows or stores it later never sees an escape sequence.
    return answer.items.map(item => ({
      ...item,
      text: cleanPeerText(item.text),
      ...(item.source === undefined ? {} : { source: cleanPeerText(item.source) }),
      ...(item.time === undefined ? {} : { time: cleanPeerText(item.time) })
    }))
  }

  async converse (peer: string, grant: GrantToken, text: string, options: { conversation?: string, turn?: number, signal?: AbortSignal } = {}): Promise<ConverseReply> {
    await this.#proveSuccession(peer, grant, options.signal)
    const conversation = options.conversation ?? randomBytes(12).toString('base64url')
    const reply = await this.#once(peer, converseSpec, 'turn', { grant, conversation, turn: options.turn ?? 0, text }, options.signal)
    return { ...reply, text: cleanPeerText(reply.text) }
  }

  async introduce (peer: string, ask: IntroAsk, displayName?: string, signal?: AbortSignal): Promise<IntroDecision> {
    return await this.#once(peer, introSpec, 'ask', { ask, ...(displayName === undefined ? {} : { displayName }) }, signal)
  }

  async pollIntro (peer: string, ticket: string, signal?: AbortSignal): Promise<IntroDecision> {
    return await this.#once(peer, introSpec, 'poll', { ticket }, signal)
  }

  async acceptOffer (peer: string, offerId: string, signal?: AbortSignal): Promise<IntroDecision> {
    return await this.#once(peer, introSpec, 'accept', { offerId }, signal)
  }

  async #once<K extends Kinds, N extends keyof K & string> (peer: string, spec: ProtocolSpec<K>, kind: N, body: Parameters<RpcSession<K>['request']>[1], signal?: AbortSignal): ReturnType<RpcSession<K>['request']> {
    const session = await this.session(peer, spec, signal)
    try {
      return await session.request(kind, body as never, signal === undefined ? {} : { signal })
    } finally {
      await session.close()
    }
  }

  /** Make sure libp2p can dial `peer`: known connection, a remembered profile's addresses, or a DHT lookup. */
  async #knowAddresses (peer: string, id: PeerId, signal?: AbortSignal): Promise<'connected' | 'remembered' | 'looked-up' | 'unknown'> {
    if (this.#init.libp2p.getConnections(id).length > 0) return 'connected'
    const remembered = this.#init.directory.get(peer)
    if (remembered !== undefined) {
      await this.#merge(id, remembered)
      return 'remembered'
    }
    return await this.#lookUpAddresses(peer, id, signal) === undefined ? 'unknown' : 'looked-up'
  }

  async #lookUpAddresses (peer: string, id: PeerId, signal?: AbortSignal): Promise<SignedProfile | undefined> {
    const profile = await withDeadline(this.#init.timeoutMs, this.#parent(signal), async (s) => await this.#init.presence.lookup(peer, s)).catch((err: unknown) => { logClient('no profile for %s: %s', peer, errText(err)); return undefined })
    if (profile !== undefined) await this.#merge(id, profile)
    return profile
  }

  async #merge (id: PeerId, profile: SignedProfile): Promise<void> {
    const addrs = profile.profile.addresses.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length > 0) await this.#init.libp2p.peerStore.merge(id, { multiaddrs: addrs })
  }

  /** The node's shutdown signal, joined with the caller's (timeouts are per step, never left armed). */
  #parent (signal?: AbortSignal): AbortSignal {
    return signal === undefined ? this.#init.signal : AbortSignal.any([this.#init.signal, signal])
  }
}
