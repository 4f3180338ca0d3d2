import { connect } from 'node:net'
import type { ComponentLogger, Connection, Libp2pEvents, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { AddressManager, Registrar, TransportManager } from '@libp2p/interface-internal'
import { getNetConfig, lpStream } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter, type TypedEventTarget } from 'main-event'
import { fromString, toString } from 'uint8arrays'
import { z } from 'zod'
import { withDeadline } from './deadline.js'
import { errText, log } from '../log.js'

const logReach = log('net:reach')

// Reachability: is this node dialable from outside its network? libp2p's AutoNAT (also configured)
// answers that for public IP addresses only: it refuses to verify private ranges by design, so on a
// LAN, behind carrier-grade NAT or in a lab of private networks it never decides. This small
// dial-back protocol decides everywhere: a peer that sees our connection coming from host H tries a
// plain TCP connect to H on each of our listening ports. Reached -> public; refused or silent ->
// private (behind NAT or a firewall). It only ever dials the host the request came from, so it
// cannot be used to make a node connect to a third party.
//
// A private node reserves slots on circuit relays (listening on /p2p-circuit makes the circuit relay
// transport find relays among connected peers and on the DHT, and find a new one when one is lost).

export const REACH_PROTOCOL = '/secondme/reach/1.0.0'
const MAX_PORTS = 4
const MAX_MESSAGE = 1024

export type Reachability = 'unknown' | 'public' | 'private'
export type ReachMode = 'probe' | 'public' | 'private'

const RequestSchema = z.object({ ports: z.array(z.number().int().min(1).max(65535)).max(MAX_PORTS) }).strict()
const ResponseSchema = z.object({ host: z.string().max(100), reachable: z.array(z.number().int()).max(MAX_PORTS) }).strict()

export interface ReachInit {
  /**
   * 'probe' asks peers to dial back; 'public' (a relay or a server with a known public address) and
   * 'private' (known to be behind NAT or a firewall) skip the probes. @default 'probe'
   */
  mode?: ReachMode
  /**
   * Relay reservations a private node keeps. While it has fewer, libp2p keeps searching the network
   * for relays (DHT random walks, dialling every peer it finds), so more than the network has costs
   * CPU and connections forever; when the one relay is lost the search starts again. @default 1
   */
  relaySlots?: number
  /** Longest a dial-back may take. @default 3_000 */
  dialBackTimeoutMs?: number
}

export interface ReachComponents {
  registrar: Registrar
  transportManager: TransportManager
  addressManager: AddressManager
  peerId: PeerId
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

export interface ReachEvents {
  'reachability:change': CustomEvent<Reachability>
}

export class Reach extends TypedEventEmitter<ReachEvents> implements Startable {
  readonly #c: ReachComponents
  readonly #init: ReachInit
  readonly #log: Logger
  readonly #asked = new Set<string>()
  #status: Reachability = 'unknown'
  #observedHost: string | undefined
  #answers = 0
  #relaysRequested = false
  #running = false

  constructor (components: ReachComponents, init: ReachInit = {}) {
    super()
    this.#c = components
    this.#init = init
    this.#log = components.logger.forComponent('secondme:reach')
    if (init.mode === 'public') this.#status = 'public'
  }

  get status (): Reachability {
    return this.#status
  }

  /** This node's host as the last dial-back helper saw it (behind NAT: the router's public address). */
  get observedHost (): string | undefined {
    return this.#observedHost
  }

  /** Relays this node holds a reservation on (peer ids), from its /p2p-circuit addresses. */
  relays (): string[] {
    const ids = new Set<string>()
    for (const ma of this.#c.addressManager.getAddresses()) {
      const parts = ma.toString().split('/p2p-circuit')
      const relay = parts.length > 1 ? /\/p2p\/([^/]+)$/.exec(parts[0] ?? '')?.[1] : undefined
      if (relay !== undefined) ids.add(relay)
    }
    return [...ids]
  }

  async start (): Promise<void> {
    if (this.#running) return
    this.#running = true
    await this.#c.registrar.handle(REACH_PROTOCOL, (stream, connection) => { void this.#serve(stream, connection) }, { maxInboundStreams: 4, maxOutboundStreams: 4 })
    if (this.#init.mode === 'probe' || this.#init.mode === undefined) this.#c.events.addEventListener('peer:identify', this.#onIdentify)
  }

  /** After libp2p has started (transports listen): a node known to be private reserves relays now. */
  afterStart (): void {
    if (this.#init.mode === 'private') this.#set('private')
  }

  async stop (): Promise<void> {
    if (!this.#running) return
    this.#running = false
    this.#c.events.removeEventListener('peer:identify', this.#onIdentify)
    await this.#c.registrar.unhandle(REACH_PROTOCOL)
  }

  readonly #onIdentify = (evt: CustomEvent<Libp2pEvents['peer:identify']['detail']>): void => {
    const { peerId, protocols, connection } = evt.detail
    // Two answers settle it; a new one is asked for again after the addresses change.
    if (this.#answers >= 2 || !protocols.includes(REACH_PROTOCOL) || connection.limits !== undefined) return
    const key = peerId.toString()
    if (this.#asked.has(key)) return
    this.#asked.add(key)
    void this.#probe(connection).catch((err: unknown) => { this.#log('dial-back probe via %p failed: %e', peerId, err) })
  }

  /** Ask the peer on `connection` to dial us back on our listening TCP ports. */
  async #probe (connection: Connection): Promise<void> {
    const ports = this.#listenPorts()
    if (ports.length === 0) return
    const reply = await withDeadline((this.#init.dialBackTimeoutMs ?? 3_000) * 2 + 2_000, undefined, async (signal) => {
      const stream = await connection.newStream(REACH_PROTOCOL, { signal })
      const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
      await lp.write(fromString(JSON.stringify({ ports }), 'utf8'), { signal })
      const data = await lp.read({ signal })
      await stream.close({ signal }).catch((err: unknown) => { logReach('probe stream close: %s', errText(err)) })
      return ResponseSchema.parse(JSON.parse(toString(data.subarray(), 'utf8')))
    })
    this.#answers++
    if (reply.host !== '') this.#observedHost = reply.host
    const next: Reachability = reply.reachable.length > 0 ? 'public' : (this.#status === 'public' ? 'public' : 'private')
    this.#log('dial-back via %p: host %s reachable ports %o -> %s', connection.remotePeer, reply.host, reply.reachable, next)
    this.#set(next)
  }

  #listenPorts (): number[] {
    const ports = new Set<number>()
    for (const ma of this.#c.transportManager.getAddrs()) {
      const port = tcpPort(ma)
      if (port !== undefined) ports.add(port)
    }
    return [...ports].slice(0, MAX_PORTS)
  }

  #set (next: Reachability): void {
    if (next === this.#status) return
    this.#status = next
    if (next === 'private') void this.#reserveRelays()
    this.safeDispatchEvent('reachability:change', { detail: next })
  }

  /** Listen on /p2p-circuit once per slot: the circuit relay transport finds and keeps relays. */
  async #reserveRelays (): Promise<void> {
    if (this.#relaysRequested) return
    this.#relaysRequested = true
    const slots = Math.max(1, this.#init.relaySlots ?? 1)
    await this.#c.transportManager.listen(Array.from({ length: slots }, () => multiaddr('/p2p-circuit')))
      .catch((err: unknown) => { this.#log.error('could not listen on /p2p-circuit: %e', err) })
  }

  async #serve (stream: Stream, connection: Connection): Promise<void> {
    const ok = await withDeadline((this.#init.dialBackTimeoutMs ?? 3_000) + 3_000, undefined, async (signal) => {
      const host = directHost(connection)
      const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
      const request = RequestSchema.parse(JSON.parse(toString((await lp.read({ signal })).subarray(), 'utf8')))
      const reachable: number[] = []
      if (host !== undefined) {
        const results = await Promise.all(request.ports.map(async port => await dialBack(host, port, this.#init.dialBackTimeoutMs ?? 3_000)))
        request.ports.forEach((port, i) => { if (results[i] === true) reachable.push(port) })
      }
      await lp.write(fromString(JSON.stringify({ host: host ?? '', reachable }), 'utf8'), { signal })
      await stream.close({ signal })
      return true
    }).catch(() => false)
    if (!ok) stream.abort(new Error('bad dial-back request'))
  }
}

/** The remote host of a direct TCP connection (never of a relayed one). */
function directHost (connection: Connection): string | undefined {
  if (connection.limits !== undefined || connection.remoteAddr.toString().includes('/p2p-circuit')) return undefined
  try {
    const config = getNetConfig(connection.remoteAddr)
    return config.type === 'ip4' || config.type === 'ip6' ? config.host : undefined
  } catch {
    return undefined
  }
}

function tcpPort (ma: Multiaddr): number | undefined {
  const tcp = ma.getComponents().find(c => c.name === 'tcp')
  if (tcp?.value === undefined || ma.toString().includes('/p2p-circuit')) return undefined
  const port = Number(tcp.value)
  return Number.isInteger(port) && port > 0 ? port : undefined
}

/** True when a TCP connection to host:port opens within `ms` (closed again at once). */
async function dialBack (host: string, port: number, ms: number): Promise<boolean> {
  return await new Promise<boolean>(resolve => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => { clearTimeout(timer); socket.destroy(); resolve(ok) }
    const timer = setTimeout(() => { done(false) }, ms)
    socket.once('connect', () => { done(true) })
    socket.once('error', () => { done(false) })
  })
}

export function reach (init: ReachInit = {}): (components: ReachComponents) => Reach {
  return (components) => new Reach(components, init)
}
