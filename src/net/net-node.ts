import { boundShutdownListeners, PeerStreamGate, PROTOCOL_STREAM_LIMITS } from './stream-limits.js'
import type { Connection, PrivateKey } from '@libp2p/interface'
import { NetworkError } from '../errors.js'
import { PeerDirectory } from './directory.js'
import { LevelDatastore } from 'datastore-level'
import { createSecondMeLibp2p, dialBootstrap, dialKnownPeers, type NodeRole, type RelayLimits, type SecondMeLibp2p, type TransportKind } from './libp2p.js'
import { profileAddresses } from './addresses.js'
import type { Reachability, ReachMode } from './reach.js'
import type { NetDeps } from './ports.js'
import { Presence, type AnnounceReport } from './presence.js'
import { signProfile, type Profile, type ProfileFields, type SignedProfile } from './profile.js'
import { converseHandlers, converseSpec } from './protocols/converse.js'
import { handshakeHandlers, handshakeSpec } from './protocols/handshake.js'
import { introHandlers, introSpec } from './protocols/intro.js'
import { memoryHandlers, memorySpec } from './protocols/memory.js'
import { RateLimiter, type RateLimitInit } from './rate-limit.js'
import { MAX_FRAME_BYTES } from './wire/frames.js'
import { ReplayGuard } from './wire/replay.js'
import { streamHandler, type ServeInit } from './wire/server.js'
import type { Handlers, Kinds, ProtocolSpec } from './wire/spec.js'
import { NetClient } from './client.js'
import { withDeadline } from './deadline.js'
import { errText, log } from '../log.js'

const logNet = log('net')

export const SECONDME_PROTOCOLS = [handshakeSpec.id, introSpec.id, memorySpec.id, converseSpec.id] as const

export interface NetNodeInit {
  privateKey: PrivateKey
  transport?: TransportKind
  listen?: string[]
  bootstrap?: string[]
  /** Many nodes in one process (cheaper DHT maintenance). */
  simulation?: boolean
  /** Public profile fields; called again whenever the profile is re-signed. */
  profile: () => Omit<ProfileFields, 'protocols' | 'addresses'>
  deps?: NetDeps
  /** @default 3_600_000 */
  profileTtlMs?: number
  /** @default 600_000 */
  announceIntervalMs?: number
  /** @default 15_000 */
  requestTimeoutMs?: number
  maxFrameBytes?: number
  rate?: RateLimitInit
  /** Announce on the DHT (profile + topics). @default true */
  announce?: boolean
  /** @default 'personal' */
  role?: NodeRole
  relayLimits?: RelayLimits
  /** Public addresses to announce instead of the listen addresses. */
  announceAddresses?: string[]
  /** UPnP / NAT-PMP port mapping on the home router. @default false */
  upnp?: boolean
  /** How reachability is decided. @default 'probe' */
  reachability?: ReachMode
  /** A directory where the peer store persists, so a restart reconnects without bootstrap addresses. */
  peerStorePath?: string
}

/** What `status` shows about the node's place on the network. */
export interface NetworkReport {
  role: NodeRole
  reachability: Reachability
  dhtMode: 'client' | 'server'
  /** Relays this node holds a reservation on. */
  relays: string[]
  /** Reservations this relay holds for others (relay role). */
  reservations?: number
  addresses: string[]
  connections: { direct: number, relayed: number }
}

/**
 * A running Second Me on the network: the libp2p node, its DHT presence and the four protocols.
 * `start()` and `stop()` are safe to call twice.
 */
export class NetNode {
  readonly libp2p: SecondMeLibp2p
  readonly directory = new PeerDirectory()
  readonly presence: Presence
  readonly client: NetClient
  readonly #init: NetNodeInit
  readonly #shutdown = new AbortController()
  /** Open /secondme/* streams per peer, capped across connections. */
  readonly streamGate = new PeerStreamGate()
  #profile: SignedProfile | undefined
  #state: 'new' | 'running' | 'stopped' = 'new'

  readonly #datastore: LevelDatastore | undefined

  private constructor (libp2p: SecondMeLibp2p, init: NetNodeInit, datastore?: LevelDatastore) {
    this.libp2p = libp2p
    this.#datastore = datastore
    this.#init = init
    this.presence = new Presence({
      libp2p,
      ownProfile: async () => await this.ownProfile(),
      directory: this.directory,
      ...(init.announceIntervalMs === undefined ? {} : { intervalMs: init.announceIntervalMs })
    })
    this.client = new NetClient({
      libp2p,
      privateKey: init.privateKey,
      presence: this.presence,
      directory: this.directory,
      ownProfile: async () => await this.ownProfile(),
      protocols: SECONDME_PROTOCOLS,
      timeoutMs: init.requestTimeoutMs ?? 15_000,
      maxFrameBytes: init.maxFrameBytes ?? MAX_FRAME_BYTES,
      signal: this.#shutdown.signal
    })
  }

  static async create (init: NetNodeInit): Promise<NetNode> {
    const datastore = init.peerStorePath === undefined ? undefined : new LevelDatastore(init.peerStorePath)
    await datastore?.open()
    const libp2p = await createSecondMeLibp2p({
      ...(datastore === undefined ? {} : { datastore }),
      privateKey: init.privateKey,
      ...(init.transport === undefined ? {} : { transport: init.transport }),
      ...(init.listen === undefined || init.listen.length === 0 ? {} : { listen: init.listen }),
      ...(init.simulation === undefined ? {} : { simulation: init.simulation }),
      ...(init.role === undefined ? {} : { role: init.role }),
      ...(init.relayLimits === undefined ? {} : { relayLimits: init.relayLimits }),
      ...(init.announceAddresses === undefined ? {} : { announce: init.announceAddresses }),
      ...(init.upnp === undefined ? {} : { upnp: init.upnp }),
      ...(init.reachability === undefined ? {} : { reachability: init.reachability })
    })
    return new NetNode(libp2p, init, datastore)
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  get running (): boolean {
    return this.#state === 'running'
  }

  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(ma => ma.toString())
  }

  /** Connected peers and how: 'direct', or 'relayed' while only a relayed connection exists. */
  links (): Map<string, 'direct' | 'relayed'> {
    const links = new Map<string, 'direct' | 'relayed'>()
    for (const c of this.libp2p.getConnections()) {
      const id = c.remotePeer.toString()
      if (!isRelayed(c)) links.set(id, 'direct')
      else if (!links.has(id)) links.set(id, 'relayed')
    }
    return links
  }

  get reachability (): Reachability {
    return this.libp2p.services.reach.status
  }

  network (): NetworkReport {
    const connections = this.libp2p.getConnections()
    const relayed = connections.filter(isRelayed).length
    return {
      role: this.#init.role ?? 'personal',
      reachability: this.reachability,
      dhtMode: this.libp2p.services.dht.getMode(),
      relays: this.libp2p.services.reach.relays(),
      ...(this.libp2p.services.relay === undefined ? {} : { reservations: this.libp2p.services.relay.reservations.size }),
      addresses: profileAddresses(this.libp2p.getMultiaddrs()),
      connections: { direct: connections.length - relayed, relayed }
    }
  }

  async start (): Promise<void> {
    if (this.#state !== 'new') return
    this.#state = 'running'
    await this.libp2p.start()
    this.#watchReach()
    await this.#handleAll()
    const bootstrap = this.#init.bootstrap ?? []
    // Peers remembered from earlier runs first: a restarted node needs no bootstrap list.
    const known = this.#datastore === undefined ? 0 : await dialKnownPeers(this.libp2p, 3, this.#shutdown.signal)
    if (bootstrap.length > 0 && known === 0) {
      const connected = await dialBootstrap(this.libp2p, bootstrap, this.#shutdown.signal)
      if (connected === 0) {
        await this.stop()
        throw new NetworkError('E_PEER_UNREACHABLE', 'no bootstrap peer could be reached')
      }
    }
    if (this.#init.announce !== false) this.presence.start()
  }

  async stop (): Promise<void> {
    if (this.#state === 'stopped') return
    this.#state = 'stopped'
    this.#shutdown.abort()
    this.presence.stop()
    await this.libp2p.stop()
    await this.#datastore?.close()
  }

  /**
   * This node's signed profile, re-signed when half its lifetime has passed or its addresses or
   * fields changed (a fact made private must leave the bio at once, not at the next renewal).
   */
  async ownProfile (): Promise<SignedProfile> {
    const now = Date.now()
    const current = this.#profile
    const addresses = profileAddresses(this.libp2p.getMultiaddrs())
    const fields = this.#init.profile()
    if (current !== undefined && now < (current.profile.issuedAt + current.profile.expiresAt) / 2 && sameList(current.profile.addresses, addresses) && sameFields(current.profile, fields)) return current
    this.#profile = await signProfile(this.#init.privateKey, {
      ...fields,
      protocols: [...SECONDME_PROTOCOLS],
      addresses
    }, this.#init.profileTtlMs ?? 3600_000, now)
    return this.#profile
  }

  /** Announce now (the periodic loop does this by itself). */
  async announce (signal?: AbortSignal): Promise<AnnounceReport> {
    const parent = signal === undefined ? this.#shutdown.signal : AbortSignal.any([this.#shutdown.signal, signal])
    return await withDeadline(30_000, parent, async (s) => await this.presence.announce(s))
  }

  /**
   * A private node serves no DHT queries (peers could not dial it back) and its profile must carry the
   * relayed addresses it gets: re-sign and re-announce whenever the announced addresses change.
   */
  #watchReach (): void {
    const onReach = (status: Reachability): void => {
      if (status === 'private' && this.#init.role !== 'relay') {
        void this.libp2p.services.dht.setMode('client').catch((err: unknown) => { logNet.error('DHT client mode: %s', errText(err)) })
      }
    }
    this.libp2p.services.reach.addEventListener('reachability:change', (evt) => { onReach(evt.detail) })
    onReach(this.reachability)
    // ownProfile() re-signs when the addresses differ, and the presence announces only a changed profile.
    this.libp2p.addEventListener('self:peer:update', () => { this.presence.refresh() })
  }

  async #handleAll (): Promise<void> {
    const deps = this.#init.deps ?? {}
    const serve: ServeInit = {
      privateKey: this.#init.privateKey,
      selfId: this.peerId,
      limiter: new RateLimiter(this.#init.rate),
      replay: new ReplayGuard(),
      maxFrameBytes: this.#init.maxFrameBytes ?? MAX_FRAME_BYTES,
      handlerTimeoutMs: this.#init.requestTimeoutMs ?? 15_000,
      signal: this.#shutdown.signal,
      gate: this.streamGate
    }
    boundShutdownListeners(this.#shutdown.signal, SECONDME_PROTOCOLS.length)
    await this.#handle(handshakeSpec, handshakeHandlers({ ownProfile: async () => await this.ownProfile(), protocols: SECONDME_PROTOCOLS, directory: this.directory }), serve)
    await this.#handle(memorySpec, memoryHandlers(deps), serve)
    await this.#handle(converseSpec, converseHandlers(deps), serve)
    await this.#handle(introSpec, introHandlers(deps, this.directory), serve)
  }

  async #handle<K extends Kinds> (spec: ProtocolSpec<K>, handlers: Handlers<K>, serve: ServeInit): Promise<void> {
    await this.libp2p.handle(spec.id, streamHandler(spec, handlers, serve), {
      ...PROTOCOL_STREAM_LIMITS,
      // Peers behind NAT reach each other through a relay first (within its limits), then directly.
      runOnLimitedConnection: true
    })
  }
}

function isRelayed (c: Connection): boolean {
  return c.limits !== undefined || c.remoteAddr.toString().includes('/p2p-circuit')
}

function sameList (a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function sameFields (p: Profile, f: Omit<ProfileFields, 'protocols' | 'addresses'>): boolean {
  return p.displayName === f.displayName && p.bio === f.bio && sameList(p.topics, f.topics)
}
