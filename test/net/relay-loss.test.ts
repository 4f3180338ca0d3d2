import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, describe, expect, it } from 'vitest'
import { NetNode, type NetNodeInit } from '../../src/net/index.js'

// A private node whose relay goes away (TCP loopback, one process): it notices, reserves a slot on
// the other relay it knows, re-signs and re-announces its profile with the new relayed address, and
// a peer that looks it up afresh reaches it through the new relay.

async function node (extra: Partial<NetNodeInit>): Promise<NetNode> {
  const n = await NetNode.create({ privateKey: await generateKeyPair('Ed25519'), profile: () => ({ displayName: 'n', topics: [] }), announceIntervalMs: 60_000, ...extra })
  await n.start()
  return n
}

async function until (what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!await check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const viaRelay = (relay: NetNode) => (a: string): boolean => a.includes(`/p2p/${relay.peerId}/p2p-circuit`)

describe('a node that loses its relay', () => {
  const nodes: NetNode[] = []
  afterAll(async () => { await Promise.all(nodes.map(async n => { await n.stop() })) })

  it('reserves on another relay, announces the new relayed address and stays reachable', async () => {
    const first = await node({ role: 'relay' })
    nodes.push(first)
    const second = await node({ role: 'relay', bootstrap: [first.multiaddrs()[0]!] })
    nodes.push(second)
    const boot = [first.multiaddrs()[0]!, second.multiaddrs()[0]!]
    const alice = await node({ bootstrap: boot, reachability: 'private' })
    nodes.push(alice)
    const bob = await node({ bootstrap: boot, reachability: 'private', announce: false })
    nodes.push(bob)

    // One slot: alice holds it on one relay and knows the other from identify.
    await until('a reservation', () => alice.network().relays.length === 1)
    const [held, spare] = alice.network().relays[0] === first.peerId ? [first, second] : [second, first]
    await until('a profile announced through the held relay', async () => (await bob.presence.lookup(alice.peerId, AbortSignal.timeout(5_000)))?.profile.addresses.some(viaRelay(held)) === true)

    await held.stop()
    await until('a reservation on the spare relay', () => alice.network().relays.includes(spare.peerId))
    expect(alice.network().relays).not.toContain(held.peerId)
    expect((await alice.ownProfile()).profile.addresses.some(viaRelay(held))).toBe(false)

    // The re-announced profile (re-signed by the address change) carries the new relayed address.
    let announced: string | undefined
    await until('the new relayed address on the DHT', async () => {
      const found = await bob.presence.lookup(alice.peerId, AbortSignal.timeout(5_000)).catch(() => undefined)
      announced = found?.profile.addresses.find(viaRelay(spare))
      return announced !== undefined && !found!.profile.addresses.some(viaRelay(held))
    })
    const connection = await bob.libp2p.dial(multiaddr(announced!))
    expect(connection.limits).toBeDefined()
    expect((await bob.client.handshake(alice.peerId)).profile.peerId).toBe(alice.peerId)
  }, 60_000)
})
