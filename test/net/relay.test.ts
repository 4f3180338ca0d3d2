import { generateKeyPair } from '@libp2p/crypto/keys'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NetNode, type NetNodeInit } from '../../src/net/index.js'
import { tempDir } from '../helpers/tmp.js'

// A relay and two nodes that know they are private (as behind NAT), on TCP loopback in one process:
// reservations, relayed addresses in the signed profile, protocols over a relayed connection.

async function node (extra: Partial<NetNodeInit>): Promise<NetNode> {
  const n = await NetNode.create({ privateKey: await generateKeyPair('Ed25519'), profile: () => ({ displayName: 'n', topics: ['relaying'] }), announceIntervalMs: 60_000, ...extra })
  await n.start()
  return n
}

async function until (what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('relay role and relayed connections', () => {
  const nodes: NetNode[] = []
  let relay: NetNode
  let alice: NetNode
  let bob: NetNode

  beforeAll(async () => {
    relay = await node({ role: 'relay' })
    nodes.push(relay)
    const boot = [relay.multiaddrs()[0]!]
    alice = await node({ bootstrap: boot, reachability: 'private' })
    nodes.push(alice)
    bob = await node({ bootstrap: boot, reachability: 'private' })
    nodes.push(bob)
  })
  afterAll(async () => { await Promise.all(nodes.map(async n => { await n.stop() })) })

  it('a private node reserves a relay slot and announces its relayed address in its signed profile', async () => {
    await until('a reservation', () => alice.network().relays.includes(relay.peerId))
    expect(alice.network()).toMatchObject({ role: 'personal', reachability: 'private', dhtMode: 'client' })
    expect(relay.network()).toMatchObject({ role: 'relay', reachability: 'public', dhtMode: 'server' })
    await until('the relayed address in the profile', () => alice.directory !== undefined && alice.network().addresses.some(a => a.includes('/p2p-circuit')))
    const profile = await alice.ownProfile()
    expect(profile.profile.addresses.some(a => a.includes(`/p2p/${relay.peerId}/p2p-circuit`))).toBe(true)
    expect(relay.network().reservations).toBeGreaterThanOrEqual(1)
  })

  it('the four protocols run over a relayed connection', async () => {
    await until('bob\'s reservation', () => bob.network().relays.length > 0)
    const circuit = (await alice.ownProfile()).profile.addresses.find(a => a.includes('/p2p-circuit'))!
    const connection = await bob.libp2p.dial(multiaddr(circuit))
    expect(connection.limits).toBeDefined()
    const hello = await bob.client.handshake(alice.peerId)
    expect(hello.profile.peerId).toBe(alice.peerId)
    // No grant: the memory protocol answers with a refusal, over the relay.
    await expect(bob.client.queryMemory(alice.peerId, {}, 'anything')).rejects.toMatchObject({ code: 'E_DENIED' })
    expect(bob.network().connections.relayed).toBeGreaterThanOrEqual(1)
  })

  it('requests reuse the open relayed connection: no new circuit per request, and no second circuit is dialled', async () => {
    await until('bob\'s reservation', () => bob.network().relays.length > 0)
    await bob.client.handshake(alice.peerId)
    let opened = 0
    const count = (): void => { opened++ }
    alice.libp2p.addEventListener('connection:open', count)
    try {
      // libp2p's own dial never reuses a limited connection: each of these opened a new circuit.
      await Promise.all(Array.from({ length: 8 }, async () => await bob.client.handshake(alice.peerId)))
      const circuit = (await alice.ownProfile()).profile.addresses.find(a => a.includes('/p2p-circuit'))!
      await expect(bob.libp2p.dial(multiaddr(circuit), { force: true })).rejects.toMatchObject({ name: 'DialDeniedError' })
    } finally {
      alice.libp2p.removeEventListener('connection:open', count)
    }
    expect(opened).toBe(0)
  })

  it('a probing node that peers can dial back on its listening port is public and reserves nothing', async () => {
    const carol = await node({ bootstrap: [relay.multiaddrs()[0]!] })
    nodes.push(carol)
    await until('a dial-back verdict', () => carol.reachability !== 'unknown')
    expect(carol.network()).toMatchObject({ reachability: 'public', dhtMode: 'server', relays: [] })
  })

  it('the peer store persists: a restarted node reconnects without its bootstrap list', async () => {
    await using tmp = await tempDir()
    const privateKey = await generateKeyPair('Ed25519')
    const first = await node({ privateKey, bootstrap: [relay.multiaddrs()[0]!], peerStorePath: join(tmp.path, 'peerstore'), announce: false })
    await until('identify with the relay', () => first.libp2p.getPeers().some(p => p.toString() === relay.peerId))
    await new Promise(resolve => setTimeout(resolve, 300))
    await first.stop()
    const again = await node({ privateKey, peerStorePath: join(tmp.path, 'peerstore'), announce: false })
    nodes.push(again)
    expect(again.libp2p.getPeers().map(p => p.toString())).toContain(relay.peerId)
  })
})
