import { describe, expect, it } from 'vitest'
import { memoryNetwork } from './helpers.js'

describe('DHT presence over the memory transport', () => {
  it('announces profiles and topics that every other node can look up', async () => {
    await using nodes = await memoryNetwork(6, i => ({
      profile: () => ({ displayName: `node ${i}`, bio: `bio ${i}`, topics: i % 2 === 0 ? ['Sailing', 'rust lang'] : ['cooking'] })
    }))
    await Promise.all(nodes.map(async n => await n.announce()))
    const target = nodes[5]!
    const found = await nodes[1]!.presence.lookup(target.peerId, AbortSignal.timeout(10_000))
    expect(found?.profile.peerId).toBe(target.peerId)
    expect(found?.profile.displayName).toBe('node 5')
    expect(found?.profile.topics).toEqual(['cooking'])

    const sailors = await nodes[3]!.presence.findTopic('  SAILING ', { signal: AbortSignal.timeout(10_000) })
    expect(new Set(sailors)).toEqual(new Set([nodes[0]!.peerId, nodes[2]!.peerId, nodes[4]!.peerId]))
  })
})
