import { MessageType } from '@libp2p/kad-dht'
import type { PeerId } from '@libp2p/interface'
import { sha256 } from 'multiformats/hashes/sha2'
import { xorCompare } from 'uint8arrays/xor-compare'
import { describe, expect, it } from 'vitest'
import type { NetNode } from '../../src/net/index.js'
import { topicCid } from '../../src/net/topics.js'
import { memoryNetwork } from './helpers.js'

// A provider record that sits on a peer far from its key (where it lands when the near peers were too
// busy to take it): kad-dht's walk stops at the nearest peers that answer and never asks there, so a
// topic search missed that announcer (bench:net under CPU load). The lookup also asks the peers it is
// connected to that the walk did not reach.

async function kadId (bytes: Uint8Array): Promise<Uint8Array> {
  return (await sha256.digest(bytes)).digest
}

async function farthest (nodes: NetNode[], key: Uint8Array): Promise<NetNode> {
  const target = await kadId(key)
  const ranked = await Promise.all(nodes.map(async (node) => {
    const id = await kadId(node.libp2p.peerId.toMultihash().bytes)
    return { node, distance: id.map((b, i) => b ^ (target[i] ?? 0)) }
  }))
  ranked.sort((a, b) => xorCompare(b.distance, a.distance))
  return ranked[0]!.node
}

/** Send one ADD_PROVIDER from `from` to `to` over the DHT protocol (kad-dht's own sender). */
async function addProviderAt (from: NetNode, to: PeerId, key: Uint8Array): Promise<void> {
  const network: unknown = Reflect.get(from.libp2p.services.dht, 'network')
  if (typeof network !== 'object' || network === null || !('sendMessage' in network) || typeof network.sendMessage !== 'function') throw new Error('kad-dht has no network')
  const msg = { type: MessageType.ADD_PROVIDER, key, providers: [{ id: from.libp2p.peerId.toMultihash().bytes, multiaddrs: from.libp2p.getMultiaddrs().map(m => m.bytes) }] }
  const events: AsyncIterable<{ name: string }> = network.sendMessage(to, msg, { signal: AbortSignal.timeout(10_000), path: { index: -1, queued: 0, running: 0, total: 0 } })
  for await (const event of events) if (event.name === 'QUERY_ERROR') throw new Error('ADD_PROVIDER not sent')
}

async function walkFinds (searcher: NetNode, key: Awaited<ReturnType<typeof topicCid>>, provider: string): Promise<boolean> {
  for await (const event of searcher.libp2p.services.dht.findProviders(key, { signal: AbortSignal.timeout(10_000) })) {
    if (event.name === 'PROVIDER' && event.providers.some(p => p.id.toString() === provider)) return true
  }
  return false
}

describe('lookups ask near peers the DHT walk did not reach', () => {
  it('finds an announcer whose provider record only a far, connected peer holds', async () => {
    await using nodes = await memoryNetwork(10, () => ({ announce: false }))
    const cid = await topicCid('far records')
    const key = cid.multihash.bytes
    const [searcher, announcer] = [nodes[1]!, nodes[2]!]
    const holder = await farthest(nodes.filter(n => n !== searcher && n !== announcer), key)
    await announcer.libp2p.dial(holder.libp2p.getMultiaddrs())
    await addProviderAt(announcer, holder.libp2p.peerId, key)
    // The searcher is connected to every other node (the holder among them).
    for (const node of nodes) if (node !== searcher) await searcher.libp2p.dial(node.libp2p.getMultiaddrs())

    // The library's walk alone stops at the nearest peers and misses the record...
    expect(await walkFinds(searcher, cid, announcer.peerId)).toBe(false)
    // ...the lookup does not.
    const found = await searcher.presence.findTopic('far records', { signal: AbortSignal.timeout(15_000) })
    expect(found).toContain(announcer.peerId)
  }, 60_000)
})
