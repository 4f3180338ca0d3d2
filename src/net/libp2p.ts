import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT, type KadDHTInit } from '@libp2p/kad-dht'
import { memory } from '@libp2p/memory'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import type { Identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { NetworkError } from '../errors.js'
import { withDeadline } from './deadline.js'
import { profileSelector, profileValidator } from './profile.js'

export const DHT_PROTOCOL = '/secondme/kad/1.0.0'

export type TransportKind = 'tcp' | 'memory'

// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type SecondMeServices = {
  identify: Identify
  ping: Ping
  dht: KadDHT
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
}

/** A libp2p node for Second Me: noise, yamux, identify, ping and a private Kademlia DHT. */
export async function createSecondMeLibp2p (options: SecondMeLibp2pOptions): Promise<SecondMeLibp2p> {
  const transport = options.transport ?? 'tcp'
  const listen = options.listen ?? defaultListen(transport)
  const node = await createLibp2p<SecondMeServices>({
    privateKey: options.privateKey,
    addresses: { listen },
    transports: transport === 'memory' ? [memory()] : [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      // Loopback bursts (tests, simulations, several nodes on one machine) must not trip the limits.
      allow: ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128'],
      dialTimeout: 10_000
    },
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 8 }),
      dht: kadDHT(dhtInit(options))
    },
    start: false
  })
  return node
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
    ...(simulation ? SIMULATION_DHT : {}),
    ...options.dht
  }
}

/**
 * Kademlia sized for <= ~100 nodes in one process. The defaults (alpha 10, one disjoint path per
 * alpha, k 20) make every query walk 10 paths that each want k responders: in a 100-node network
 * that is nearly every node per query, each RPC a stream (and often a dial: noise handshake,
 * identify, a ping to vet the new contact) costing ~10 ms CPU here. One path, three in flight,
 * converging on the 10 closest still finds every record, since records are stored on those same
 * 10 closest. (k 6 halved the CPU again but missed ~8% of lookups at 50 nodes.)
 */
const SIMULATION_DHT: Partial<KadDHTInit> = {
  kBucketSize: 10,
  alpha: 3,
  disjointPaths: 1,
  pingNewContactConcurrency: 2,
  pingOldContactConcurrency: 2,
  routingTableUpdateQueueConcurrency: 2
}

function defaultListen (transport: TransportKind): string[] {
  return transport === 'memory' ? [] : ['/ip4/127.0.0.1/tcp/0']
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
