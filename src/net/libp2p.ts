import { YAMUX_LIMITS } from './stream-limits.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT, type KadDHTInit } from '@libp2p/kad-dht'
import { memory } from '@libp2p/memory'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { uPnPNAT } from '@libp2p/upnp-nat'
import type { Identify } from '@libp2p/identify'
import type { ComponentLogger, Libp2p, Logger, PrivateKey } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { LevelDatastore } from 'datastore-level'
import { createLibp2p, type ServiceFactoryMap } from 'libp2p'
import { NetworkError } from '../errors.js'
import { withDeadline } from './deadline.js'
import { fastNoiseCrypto } from './noise-crypto.js'
import { profileSelector, profileValidator } from './profile.js'
import { punch, type Punch } from './punch.js'
import { reach, type Reach, type ReachMode } from './reach.js'
import { reachFirstSorter } from './addresses.js'

export const DHT_PROTOCOL = '/secondme/kad/1.0.0'

export type TransportKind = 'tcp' | 'memory'

/** A personal node (default) or a relay: a machine with a public address that relays and bootstraps. */
export type NodeRole = 'personal' | 'relay'

/** What a relay grants each reservation and each relayed connection. */
export interface RelayLimits {
  /** Reservations held at once. @default 128 */
  maxReservations?: number
  /** How long a reservation lasts before the client must refresh it. @default 3_600_000 */
  reservationTtlMs?: number
  /** Longest a relayed connection may stay open (then it is reset; direct upgrades are not limited). @default 300_000 */
  durationLimitMs?: number
  /** Most bytes per relayed connection, both directions. @default 4_194_304 */
  dataLimitBytes?: number
}

export const DEFAULT_RELAY_LIMITS: Required<RelayLimits> = {
  maxReservations: 128,
  reservationTtlMs: 3_600_000,
  durationLimitMs: 300_000,
  dataLimitBytes: 4 * 1024 * 1024
}

// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type SecondMeServices = {
  identify: Identify
  ping: Ping
  dht: KadDHT
  reach: Reach
  autonat?: unknown
  dcutr?: unknown
  upnp?: unknown
  punch?: Punch
  relay?: CircuitRelayService
}

export type SecondMeLibp2p = Libp2p<SecondMeServices>

export interface SecondMeLibp2pOptions {
  privateKey: PrivateKey
  /** @default 'tcp' */
  transport?: TransportKind
  /** Listen multiaddrs. @default ['/ip4/127.0.0.1/tcp/0'] for tcp; a fresh /memory/<peerId> for memory */
  listen?: string[]
  /** Bootstrap multiaddrs (with /p2p/<id>), dialled one after another once started. */
  bootstrap?: string[]
  /**
   * Many nodes in one process: slower DHT self-queries and smaller queues, so 100 nodes fit in
   * one process (the default self-query every second costs ~5x CPU). @default false
   */
  simulation?: boolean
  dht?: Partial<KadDHTInit>
  /** @default 'personal' */
  role?: NodeRole
  /** Relay role: limits per reservation and relayed connection. */
  relayLimits?: RelayLimits
  /** Addresses to announce instead of the listen addresses (a relay behind a known public address). */
  announce?: string[]
  /** Ask the home router for a port mapping (UPnP / NAT-PMP). @default false */
  upnp?: boolean
  /** 'probe' finds out by dial-back; 'private' / 'public' when the owner knows. @default 'probe' */
  reachability?: ReachMode
  /** Keeps the peer store (peers, addresses, protocols) and DHT data across restarts; opened by the caller. */
  datastore?: LevelDatastore
}

/** A libp2p node for Second Me: noise, yamux, identify, ping and a private Kademlia DHT. */
export async function createSecondMeLibp2p (options: SecondMeLibp2pOptions): Promise<SecondMeLibp2p> {
  const transport = options.transport ?? 'tcp'
  const listen = options.listen ?? defaultListen(transport)
  const simulation = options.simulation === true
  // Relays, hole punching and NAT detection are for real networks: not on the in-process transport.
  const reachOut = transport === 'tcp' && !simulation
  // The gater runs after creation; it needs the node it gates.
  const self: { node?: SecondMeLibp2p } = {}
  const node: SecondMeLibp2p = await createLibp2p<SecondMeServices>({
    privateKey: options.privateKey,
    ...(options.datastore === undefined ? {} : { datastore: options.datastore }),
    addresses: { listen, ...(options.announce === undefined || options.announce.length === 0 ? {} : { announce: options.announce }) },
    transports: transport === 'memory' ? [memory()] : [tcp(), circuitRelayTransport({ reservationCompletionTimeout: 10_000 })],
    connectionEncrypters: [noise(simulation ? { crypto: fastNoiseCrypto } : {})],
    // libp2p builds debug loggers per connection and stream even when nothing is logged; with
    // thousands of streams that shows in a profile. DEBUG=... still gets the real ones.
    ...(simulation && (process.env.DEBUG ?? '') === '' ? { logger: silentLogger } : {}),
    // Keep-alive pings per connection every 30 s of wall-clock time: the same compressed-time
    // cost as the connection monitor below, for liveness an in-process transport already reports.
    streamMuxers: [yamux({ ...YAMUX_LIMITS, ...(simulation ? { enableKeepAlive: false } : {}) })],
    connectionGater: { denyDialMultiaddr: (ma) => self.node !== undefined && secondCircuit(self.node, ma) },
    connectionManager: {
      // Loopback bursts (tests, simulations, several nodes on one machine) must not trip the limits.
      allow: ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128'],
      dialTimeout: 10_000,
      addressSorter: reachFirstSorter()
    },
    // The connection monitor pings every open connection from both ends every 10 s of wall-clock
    // time. A simulation compresses hours of a network into minutes: with the 4,400 connections
    // 100 nodes had under the default DHT settings that is ~900 pings a second (2,750 under the
    // profile below: ~550), several times the streams the scenario itself opens, while an
    // in-process peer that stops closes its connections at once. The DHT still pings new contacts.
    ...(simulation ? { connectionMonitor: { enabled: false } } : {}),
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 8 }),
      dht: kadDHT(dhtInit(options)),
      reach: reach({ mode: options.role === 'relay' || !reachOut ? 'public' : options.reachability ?? 'probe' }),
      ...(reachOut ? reachServices(options, () => self.node?.services.reach.observedHost) : {})
    },
    start: false
  })
  self.node = node
  return node
}

/**
 * True for a dial through a relay to a peer we already have an open relayed connection to. libp2p
 * never reuses a relayed (limited) connection for a dial: each DHT request, relay search or
 * protocol dial to such a peer would open a new circuit through the relay, which libp2p then aborts
 * as a duplicate of the first (same remote address). Between two NATed peers that is several
 * circuits a second, and the peer refuses more than 5 new connections a second from one host (for
 * relayed ones: the relay), so real requests failed. Streams use the open circuit instead.
 */
function secondCircuit (node: SecondMeLibp2p, ma: Multiaddr): boolean {
  const text = ma.toString()
  const at = text.lastIndexOf('/p2p-circuit/p2p/')
  if (at < 0) return false
  const target = text.slice(at + '/p2p-circuit/p2p/'.length).split('/')[0]
  return node.getConnections().some(c => c.status === 'open' && c.remotePeer.toString() === target && c.remoteAddr.toString().includes('/p2p-circuit'))
}

/** AutoNAT (public IPs), hole punching, optional port mapping; a relay server for the relay role. */
function reachServices (options: SecondMeLibp2pOptions, publicHost: () => string | undefined): Partial<ServiceFactoryMap<SecondMeServices>> {
  const relay = options.role === 'relay'
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.relayLimits }
  return {
    autonat: autoNAT(),
    // DCUtR upgrades when one side has a public address; our punch when both are behind NAT.
    ...(relay ? {} : { dcutr: dcutr(), punch: punch({ publicHost }) }),
    ...(options.upnp === true ? { upnp: uPnPNAT() } : {}),
    ...(relay
      ? {
          relay: circuitRelayServer({
            reservations: {
              maxReservations: limits.maxReservations,
              reservationTtl: limits.reservationTtlMs,
              defaultDurationLimit: limits.durationLimitMs,
              defaultDataLimit: BigInt(limits.dataLimitBytes)
            }
          })
        }
      : {})
  }
}

function dhtInit (options: SecondMeLibp2pOptions): KadDHTInit {
  const simulation = options.simulation === true
  return {
    protocol: DHT_PROTOCOL,
    clientMode: false,
    // Loopback and private addresses are real here (one machine, LAN); the default mapper drops them.
    peerInfoMapper: passthroughMapper,
    validators: { secondme: profileValidator },
    selectors: { secondme: profileSelector },
    // Every other query waits for the first self-query. One node: run it at once. Many nodes starting
    // together: a self-query dials ~k peers (noise handshakes), so spread them out and repeat rarely.
    initialQuerySelfInterval: simulation ? 5_000 : 100,
    querySelfInterval: simulation ? 10 * 60_000 : 5 * 60_000,
    // Real nodes: three walks on disjoint paths, so one slow or lying peer cannot hide a record.
    ...(simulation ? SIMULATION_DHT : { alpha: 3, disjointPaths: 3 }),
    ...options.dht
  }
}

/**
 * Kademlia sized for <= ~100 nodes in one process, where every RPC (a stream, often a dial: noise
 * handshake, identify both ways, a ping to vet the new contact) costs milliseconds of the one CPU
 * all nodes share. Measured at 100 nodes (announce + one lookup round): the defaults' routing
 * table (64 buckets of k) has room for every peer a node ever hears of, and each such peer gets
 * pinged (dialled) before it is added, so the nodes ended up ~all-pairs connected (4,400 of 4,950
 * pairs); walks with alpha 10 and k 20 then asked most of the network per query.
 * - k 6: records on the 6 closest peers and 6 closer peers per answer. k 10 cost ~25% more CPU at
 *   100 nodes (announce + one lookup round: 240 vs 190 CPU s) and found no more (199 vs 200 of
 *   200 lookups); an early k 6 run that missed ~8% at 50 nodes was CPU-starved by the connection
 *   monitor and bootstrapped from a single seed, both changed since.
 * - prefixLength 2: 4 buckets of k, at most 24 contacts, so hearsay peers stop being dialled once a
 *   bucket is full (connections at 100 nodes 4,000 -> 2,750). prefixLength 1 (12 contacts) was
 *   cheaper again but missed lookups (99.5% without churn, 98.9% during churn).
 * - alpha 2, one disjoint path: a walk asks two peers at a time and stops at the 6 closest.
 */
const SIMULATION_DHT: Partial<KadDHTInit> = {
  kBucketSize: 6,
  prefixLength: 2,
  alpha: 2,
  disjointPaths: 1,
  pingNewContactConcurrency: 2,
  pingOldContactConcurrency: 2,
  routingTableUpdateQueueConcurrency: 2
}

const silent: Logger = Object.assign(() => {}, {
  error: () => {},
  trace: () => {},
  enabled: false,
  newScope: () => silent
})
const silentLogger: ComponentLogger = { forComponent: () => silent }

function defaultListen (transport: TransportKind): string[] {
  return transport === 'memory' ? [] : ['/ip4/127.0.0.1/tcp/0']
}

/**
 * A restarted node without bootstrap addresses: dial peers the persisted peer store knows, one after
 * another, until `want` answer. Returns how many did.
 */
export async function dialKnownPeers (node: SecondMeLibp2p, want = 3, signal?: AbortSignal): Promise<number> {
  const peers = await node.peerStore.all({ filters: [p => p.addresses.length > 0 && !p.id.equals(node.peerId)] })
  let connected = 0
  for (const peer of peers) {
    if (connected >= want) break
    signal?.throwIfAborted()
    try {
      await withDeadline(5_000, signal, async (s) => await node.dial(peer.id, { signal: s }))
      connected++
    } catch {
      // gone or moved: the next one
    }
  }
  return connected
}

/** Dial the bootstrap addresses one after another (parallel bursts trip connection limits). */
export async function dialBootstrap (node: SecondMeLibp2p, addrs: readonly string[], signal?: AbortSignal): Promise<number> {
  let connected = 0
  for (const addr of addrs) {
    signal?.throwIfAborted()
    let ma
    try {
      ma = multiaddr(addr)
    } catch (err) {
      throw new NetworkError('E_PEER_UNREACHABLE', `bad bootstrap address ${addr}`, { cause: err })
    }
    if (ma.getComponents().some(c => c.name === 'p2p' && c.value === node.peerId.toString())) continue
    try {
      await withDeadline(10_000, signal, async (s) => await node.dial(ma, { signal: s }))
      connected++
    } catch {
      // One dead bootstrap peer must not stop the others; the caller reports when none answered.
    }
  }
  return connected
}
