import { connect, createServer, type Socket } from 'node:net'
import type { ComponentLogger, Connection, Logger, PeerId, Startable, Stream, Upgrader } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { fromString, toString } from 'uint8arrays'
import { z } from 'zod'
import { withDeadline } from './deadline.js'
import { socketConnection } from './socket-connection.js'

// TCP hole punching between two nodes behind NAT, run over their relayed connection. libp2p's DCUtR
// cannot do this from Node.js: Node cannot dial from its listening port (no SO_REUSEPORT), so the
// addresses a node advertises never match the port its punch comes from, and DCUtR only considers
// public IP ranges. Here each side dials from a fresh port it names in advance. A router that keeps a
// socket's port when it maps it (Linux MASQUERADE, most home routers: an endpoint-independent "cone"
// mapping) then lets the two dials meet as one TCP connection (a simultaneous open): each side's
// outgoing SYN opens its own router for the other's. A symmetric NAT maps every destination to a new
// random port, so the punch fails there and the relayed connection stays.
//
// 1. B (of the two, the one with the smaller peer id) opens /secondme/punch/1.0.0 and sends
//    {host, port}: its public host (as a peer saw it, from the reachability probe) and a fresh port.
// 2. A answers with its own {host, port}; B measures the round trip.
// 3. B sends {go}; A dials at once, B after half the round trip: both SYNs cross.
// 4. The socket is upgraded (noise, yamux) with A as the initiator; libp2p then prefers it.

export const PUNCH_PROTOCOL = '/secondme/punch/1.0.0'
const MAX_MESSAGE = 512
/** Longest the relayed connection stays open after a punch for streams still running on it. */
const RETIRE_GRACE_MS = 30_000

const OfferSchema = z.object({ host: z.string().min(1).max(64), port: z.number().int().min(1).max(65535) }).strict()
const GoSchema = z.object({ go: z.literal(true) }).strict()
type Offer = z.infer<typeof OfferSchema>

export interface PunchInit {
  /** This node's address as peers outside its network see it (its router's), when known. */
  publicHost: () => string | undefined
  /** Longest a punch (exchange and dials) may take. @default 5_000 */
  timeoutMs?: number
}

export interface PunchComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  upgrader: Upgrader
  logger: ComponentLogger
}

export class Punch implements Startable {
  readonly #c: PunchComponents
  readonly #init: PunchInit
  readonly #log: Logger
  readonly #busy = new Set<string>()
  #topology: string | undefined
  /** Direct connections made by punching, and attempts (for status and the benchmark). */
  readonly stats = { attempts: 0, upgraded: 0 }

  constructor (components: PunchComponents, init: PunchInit) {
    this.#c = components
    this.#init = init
    this.#log = components.logger.forComponent('secondme:punch')
  }

  async start (): Promise<void> {
    await this.#c.registrar.handle(PUNCH_PROTOCOL, (stream, connection) => {
      void this.#answer(stream, connection).catch((err: unknown) => { this.#log('punch from %p failed: %e', connection.remotePeer, err); stream.abort(err as Error) })
    }, { runOnLimitedConnection: true, maxInboundStreams: 2, maxOutboundStreams: 2 })
    this.#topology = await this.#c.registrar.register(PUNCH_PROTOCOL, {
      notifyOnLimitedConnection: true,
      onConnect: (peer, connection) => {
        // One side offers, whichever way the relayed connection went (both may have dialled).
        if (!relayed(connection) || this.#c.peerId.toString() > peer.toString()) return
        void this.#offer(connection).catch((err: unknown) => { this.#log('punch to %p failed: %e', connection.remotePeer, err) })
      }
    })
  }

  async stop (): Promise<void> {
    if (this.#topology !== undefined) this.#c.registrar.unregister(this.#topology)
    await this.#c.registrar.unhandle(PUNCH_PROTOCOL)
  }

  /** B: offer, learn A's offer and the round trip, say go, dial after half of it. */
  async #offer (relayedConn: Connection): Promise<void> {
    const peer = relayedConn.remotePeer
    const host = this.#init.publicHost()
    if (host === undefined || this.#direct(peer) || !this.#claim(peer)) return
    try {
      await withDeadline(this.#init.timeoutMs ?? 5_000, undefined, async (signal) => {
        const port = await freePort()
        const stream = await relayedConn.newStream(PUNCH_PROTOCOL, { signal, runOnLimitedConnection: true })
        const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
        const t0 = Date.now()
        await send(lp, { host, port }, signal)
        const theirs = OfferSchema.parse(await receive(lp, signal))
        const rtt = Date.now() - t0
        await send(lp, { go: true }, signal)
        await stream.close({ signal }).catch((err: unknown) => { this.#log('punch stream close: %e', err) })
        await new Promise(resolve => setTimeout(resolve, rtt / 2))
        await this.#meet(peer, port, theirs, false, signal)
      })
      void this.#retire(relayedConn)
    } finally {
      this.#busy.delete(peer.toString())
    }
  }

  /** A: answer B's offer with ours, wait for go, dial at once. */
  async #answer (stream: Stream, relayedConn: Connection): Promise<void> {
    const peer = relayedConn.remotePeer
    await withDeadline(this.#init.timeoutMs ?? 5_000, undefined, async (signal) => {
      const lp = lpStream(stream, { maxDataLength: MAX_MESSAGE })
      const theirs = OfferSchema.parse(await receive(lp, signal))
      const host = this.#init.publicHost()
      if (host === undefined || !this.#claim(peer)) {
        stream.abort(new Error('no punch now'))
        return
      }
      try {
        const port = await freePort()
        await send(lp, { host, port }, signal)
        GoSchema.parse(await receive(lp, signal))
        await stream.close({ signal }).catch((err: unknown) => { this.#log('punch stream close: %e', err) })
        await this.#meet(peer, port, theirs, true, signal)
      } finally {
        this.#busy.delete(peer.toString())
      }
    })
    if (this.#direct(peer)) void this.#retire(relayedConn)
  }

  /**
   * Close the relayed connection once the direct one is up: it holds a slot within the relay's limits
   * and would keep carrying whatever streams libp2p opens on it. Streams open on it (a request in
   * flight) finish first, for up to RETIRE_GRACE_MS; new ones already go to the direct connection.
   */
  async #retire (relayedConn: Connection): Promise<void> {
    const end = Date.now() + RETIRE_GRACE_MS
    while (relayedConn.status === 'open' && relayedConn.streams.length > 0 && Date.now() < end) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    if (relayedConn.status !== 'open' || !this.#direct(relayedConn.remotePeer)) return
    this.#log('closing the relayed connection to %p: a direct one is up', relayedConn.remotePeer)
    await relayedConn.close().catch((err: unknown) => { relayedConn.abort(err instanceof Error ? err : new Error(String(err))) })
  }

  /** Dial the peer's offered address from our offered port, then upgrade the socket. */
  async #meet (peer: PeerId, port: number, theirs: Offer, initiator: boolean, signal: AbortSignal): Promise<void> {
    this.stats.attempts++
    const socket = await dialFrom(port, theirs, signal)
    const remoteAddr = multiaddr(`/ip4/${theirs.host}/tcp/${theirs.port}/p2p/${peer.toString()}`)
    try {
      await this.#c.upgrader.upgradeOutbound(socketConnection(socket, remoteAddr, initiator ? 'outbound' : 'inbound', this.#log.newScope('conn')), { signal, initiator })
    } catch (err) {
      socket.destroy()
      throw err
    }
    this.stats.upgraded++
    this.#log('punched a direct connection to %p at %s:%d', peer, theirs.host, theirs.port)
  }

  #direct (peer: PeerId): boolean {
    return this.#c.connectionManager.getConnections(peer).some(c => c.status === 'open' && !relayed(c))
  }

  /** One punch per peer at a time. */
  #claim (peer: PeerId): boolean {
    const key = peer.toString()
    if (this.#busy.has(key)) return false
    this.#busy.add(key)
    return true
  }
}

function relayed (c: Connection): boolean {
  return c.limits !== undefined || c.remoteAddr.toString().includes('/p2p-circuit')
}

async function send (lp: LengthPrefixedStream, message: unknown, signal: AbortSignal): Promise<void> {
  await lp.write(fromString(JSON.stringify(message), 'utf8'), { signal })
}

async function receive (lp: LengthPrefixedStream, signal: AbortSignal): Promise<unknown> {
  return JSON.parse(toString((await lp.read({ signal })).subarray(), 'utf8'))
}

/** A port no socket here uses now (the kernel picks it). */
async function freePort (): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, () => {
      const address = server.address()
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port)
        else reject(new Error('no port'))
      })
    })
  })
}

/**
 * Connect to `to` from local port `from`. A SYN that reaches the peer's router before the peer's
 * own SYN has left it is dropped (or refused) there; the kernel's retransmission, or our retry after
 * a refusal, then meets the open mapping.
 */
async function dialFrom (from: number, to: Offer, signal: AbortSignal): Promise<Socket> {
  for (;;) {
    signal.throwIfAborted()
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: to.host, port: to.port, localPort: from })
        const onAbort = (): void => { socket.destroy(); reject(signal.reason) }
        signal.addEventListener('abort', onAbort, { once: true })
        socket.once('connect', () => { signal.removeEventListener('abort', onAbort); resolve(socket) })
        socket.once('error', (err) => { signal.removeEventListener('abort', onAbort); socket.destroy(); reject(err) })
      })
    } catch (err) {
      if (signal.aborted || !(err instanceof Error) || !['ECONNREFUSED', 'ECONNRESET'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err
      await new Promise(resolve => setTimeout(resolve, 25))
    }
  }
}

export function punch (init: PunchInit): (components: PunchComponents) => Punch {
  return (components) => new Punch(components, init)
}
