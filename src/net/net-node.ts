import type { PrivateKey } from '@libp2p/interface'
import { NetworkError } from '../errors.js'
import { PeerDirectory } from './directory.js'
import { createSecondMeLibp2p, dialBootstrap, type SecondMeLibp2p, type TransportKind } from './libp2p.js'
import type { NetDeps } from './ports.js'
import { Presence, type AnnounceReport } from './presence.js'
import { signProfile, type ProfileFields, type SignedProfile } from './profile.js'
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
  #profile: SignedProfile | undefined
  #state: 'new' | 'running' | 'stopped' = 'new'

  private constructor (libp2p: SecondMeLibp2p, init: NetNodeInit) {
    this.libp2p = libp2p
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
    const libp2p = await createSecondMeLibp2p({
      privateKey: init.privateKey,
      ...(init.transport === undefined ? {} : { transport: init.transport }),
      ...(init.listen === undefined || init.listen.length === 0 ? {} : { listen: init.listen }),
      ...(init.simulation === undefined ? {} : { simulation: init.simulation })
    })
    return new NetNode(libp2p, init)
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

  async start (): Promise<void> {
    if (this.#state !== 'new') return
    this.#state = 'running'
    await this.libp2p.start()
    await this.#handleAll()
    if ((this.#init.bootstrap ?? []).length > 0) {
      const connected = await dialBootstrap(this.libp2p, this.#init.bootstrap ?? [], this.#shutdown.signal)
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
  }

  /** This node's signed profile, re-signed when half its lifetime has passed. */
  async ownProfile (): Promise<SignedProfile> {
    const now = Date.now()
    const current = this.#profile
    if (current !== undefined && now < (current.profile.issuedAt + current.profile.expiresAt) / 2) return current
    const fields = this.#init.profile()
    this.#profile = await signProfile(this.#init.privateKey, {
      ...fields,
      protocols: [...SECONDME_PROTOCOLS],
      addresses: this.multiaddrs().slice(0, 20)
    }, this.#init.profileTtlMs ?? 3600_000, now)
    return this.#profile
  }

  /** Announce now (the periodic loop does this by itself). */
  async announce (signal?: AbortSignal): Promise<AnnounceReport> {
    const parent = signal === undefined ? this.#shutdown.signal : AbortSignal.any([this.#shutdown.signal, signal])
    return await withDeadline(30_000, parent, async (s) => await this.presence.announce(s))
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
      signal: this.#shutdown.signal
    }
    await this.#handle(handshakeSpec, handshakeHandlers({ ownProfile: async () => await this.ownProfile(), protocols: SECONDME_PROTOCOLS, directory: this.directory }), serve)
    await this.#handle(memorySpec, memoryHandlers(deps), serve)
    await this.#handle(converseSpec, converseHandlers(deps), serve)
    await this.#handle(introSpec, introHandlers(deps, this.directory), serve)
  }

  async #handle<K extends Kinds> (spec: ProtocolSpec<K>, handlers: Handlers<K>, serve: ServeInit): Promise<void> {
    await this.libp2p.handle(spec.id, streamHandler(spec, handlers, serve), { maxInboundStreams: 64 })
  }
}
