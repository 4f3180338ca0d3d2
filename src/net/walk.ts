import type { DisjointPath, KadDHT, MessageType, PeerResponseEvent, QueryEvent } from '@libp2p/kad-dht'
import type { PeerId } from '@libp2p/interface'
import { sha256 } from 'multiformats/hashes/sha2'
import { xorCompare } from 'uint8arrays/xor-compare'
import { errText, log } from '../log.js'

const logWalk = log('net:walk')

/**
 * kad-dht's own request sender. It is public on the DHT's class but not on the interface the package
 * exports, so it is found at run time; without it a lookup is the library's walk alone.
 */
interface DhtNetwork {
  sendRequest: (to: PeerId, msg: { type: MessageType, key: Uint8Array }, options: { signal: AbortSignal, path: DisjointPath }) => AsyncIterable<QueryEvent>
}

function isDhtNetwork (x: unknown): x is DhtNetwork {
  return typeof x === 'object' && x !== null && 'sendRequest' in x && typeof x.sendRequest === 'function'
}

function dhtNetwork (dht: KadDHT): DhtNetwork | undefined {
  const network: unknown = Reflect.get(dht, 'network')
  return isDhtNetwork(network) ? network : undefined
}

/** The distance key kad-dht uses for a record key or a peer: sha256 of the bytes. */
async function kadId (bytes: Uint8Array): Promise<Uint8Array> {
  return (await sha256.digest(bytes)).digest
}

function xorDistance (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0)
  return out
}

const NO_PATH: DisjointPath = { index: -1, queued: 0, running: 0, total: 0 }

/**
 * What one DHT walk (kad-dht's get / findProviders) saw: the peers that answered it and every peer
 * it heard of. A walk stops at the k closest peers that answered; a record stored while one of those
 * was too busy to answer went to the next closest instead, and such a walk never asks there (under
 * CPU load in bench:net, one announcer stayed unfindable for every lookup of its topic). `unasked`
 * names the peers near the key that did not answer this walk, among those it heard of and those this
 * node is connected to, so the lookup can ask them directly.
 */
export class Walk {
  readonly #answered = new Set<string>()
  readonly #heard = new Map<string, PeerId>()

  constructor (private readonly dht: KadDHT, private readonly self: PeerId) {}

  /** Note one event of the walk. */
  see (event: QueryEvent): void {
    if (event.name === 'PEER_RESPONSE') {
      this.#answered.add(event.from.toString())
      for (const peer of event.closer) this.#heard.set(peer.id.toString(), peer.id)
    } else if (event.name === 'SEND_QUERY' || event.name === 'DIAL_PEER') {
      const peer = event.name === 'SEND_QUERY' ? event.to : event.peer
      this.#heard.set(peer.toString(), peer)
    }
  }

  /**
   * Of the 2k peers closest to `key` among those heard of and `connected`, the ones that did not
   * answer this walk (closest first, at most k).
   */
  async unasked (key: Uint8Array, connected: readonly PeerId[]): Promise<PeerId[]> {
    const candidates = new Map(this.#heard)
    for (const peer of connected) candidates.set(peer.toString(), peer)
    candidates.delete(this.self.toString())
    const target = await kadId(key)
    const ranked = await Promise.all([...candidates.values()].map(async (peer) => ({ peer, distance: xorDistance(await kadId(peer.toMultihash().bytes), target) })))
    ranked.sort((a, b) => xorCompare(a.distance, b.distance))
    const k = this.dht.k
    return ranked.slice(0, 2 * k).map(r => r.peer).filter(p => !this.#answered.has(p.toString())).slice(0, k)
  }

  /**
   * Ask each of `peers` for `key` directly (GET_PROVIDERS or GET_VALUE), `dht.a` at a time; every
   * answer is passed to `onAnswer`. A peer that fails is skipped. Returns how many answered.
   */
  async ask (peers: readonly PeerId[], type: MessageType.GET_PROVIDERS | MessageType.GET_VALUE, key: Uint8Array, signal: AbortSignal, onAnswer: (answer: PeerResponseEvent) => Promise<void>): Promise<number> {
    const network = dhtNetwork(this.dht)
    if (network === undefined || peers.length === 0) return 0
    const queue = [...peers]
    let answered = 0
    const worker = async (): Promise<void> => {
      for (let peer = queue.shift(); peer !== undefined && !signal.aborted; peer = queue.shift()) {
        try {
          for await (const event of network.sendRequest(peer, { type, key }, { signal, path: NO_PATH })) {
            this.see(event)
            if (event.name !== 'PEER_RESPONSE') continue
            answered++
            await onAnswer(event)
          }
        } catch (err) {
          logWalk('asking %s directly failed: %s', peer.toString(), errText(err))
        }
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, this.dht.a) }, worker))
    return answered
  }
}
