import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, labUnavailable, type Lab } from '../../scripts/netlab/lab.js'
import { LAB_PORT, makeHome, networkOf, startNode, until, type LabNode } from '../../scripts/netlab/nodes.js'
import { REPO_ROOT, TEST_KDF, tempDir } from '../helpers/tmp.js'

// The NAT lab: a relay on the "internet", Alice's and Bob's laptops behind cone NATs and Carol's
// behind a symmetric NAT, each a real `secondme start` process in its own network namespace. None can
// dial another directly: they meet through the relay; the two cone homes then punch a direct
// connection, while Carol's symmetric NAT keeps her links relayed.

const why = await labUnavailable()
if (why !== undefined) console.warn(`NAT lab skipped: ${why}`)

describe.skipIf(why !== undefined)('NAT lab: nodes behind different NATs meet through a relay', () => {
  let lab: Lab | undefined
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined
  const nodes: LabNode[] = []
  let alice: LabNode
  let bob: LabNode
  let carol: LabNode

  beforeAll(async () => {
    tmp = await tempDir()
    lab = await createLab([{ name: 'relay' }, { name: 'alice', nat: 'cone' }, { name: 'bob', nat: 'cone' }, { name: 'carol', nat: 'symmetric' }])
    const dirs = { relay: join(tmp.path, 'relay'), alice: join(tmp.path, 'alice'), bob: join(tmp.path, 'bob'), carol: join(tmp.path, 'carol') }
    await makeHome(dirs.relay, { name: 'Relay' }, TEST_KDF)
    await makeHome(dirs.alice, { name: 'Alice' }, TEST_KDF)
    await makeHome(dirs.bob, {
      name: 'Bob',
      topics: ['Climbing'],
      memories: [{ text: 'I climb at the Salève every Saturday morning', visibility: 'shareable', topic: 'climbing' }]
    }, TEST_KDF)
    await makeHome(dirs.carol, {
      name: 'Carol',
      topics: ['Sailing'],
      memories: [
        { text: 'I keep my boat at the harbour in Lausanne and sail on weekends', visibility: 'shareable', topic: 'sailing' },
        { text: 'My boat lock code is 7788', visibility: 'private', topic: 'sailing' }
      ]
    }, TEST_KDF)
    const relayIp = lab.host('relay').ip
    const relay = await startNode(lab, 'relay', dirs.relay, REPO_ROOT, ['--relay', '--listen', `/ip4/${relayIp}/tcp/${LAB_PORT}`])
    nodes.push(relay)
    const boot = `/ip4/${relayIp}/tcp/${LAB_PORT}/p2p/${relay.peerId}`
    const started = await Promise.allSettled((['alice', 'bob', 'carol'] as const).map(async name => await startNode(lab!, name, dirs[name], REPO_ROOT, ['--listen', `/ip4/0.0.0.0/tcp/${LAB_PORT}`, '--bootstrap', boot])))
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value)
    for (const s of started) if (s.status === 'rejected') throw s.reason
    alice = nodes[1]!
    bob = nodes[2]!
    carol = nodes[3]!
  }, 120_000)

  afterAll(async () => {
    await Promise.all(nodes.map(async n => await n.stop()))
    await lab?.destroy()
    await tmp?.[Symbol.asyncDispose]()
  }, 60_000)

  it('each home node finds out it is private, reserves a relay slot and announces the relayed address', async () => {
    for (const node of [alice, bob, carol]) {
      const net = await until(`${node.host} behind a relay`, async () => {
        const n = await networkOf(node)
        return n !== undefined && n.relays.length > 0 && n.addresses.some(a => a.includes('/p2p-circuit')) ? n : undefined
      }, 60_000)
      expect(net).toMatchObject({ reachability: 'private', dhtMode: 'client' })
    }
  }, 90_000)

  it('find by topic, introduce, consent, query under the grant, converse; a revoked grant is refused — all relayed', async () => {
    const found = await until('carol by topic', async () => {
      const r = await alice.call('find', { topic: 'sailing', limit: 20 })
      return r.peers.some(p => p.peerId === carol.peerId) ? r : undefined
    }, 60_000, 1_000)
    expect(found.peers.map(p => p.peerId)).toContain(carol.peerId)

    const ask = { peer: carol.peerId, actions: ['memory:read', 'converse'], visibility: ['shareable'], topics: ['sailing'], purpose: 'lab', durationSec: 3600 }
    const asked = await alice.call('introduce', ask)
    if (asked.status !== 'pending') throw new Error(`introduce: ${asked.status}`)
    const pending = await carol.call('consent', { state: 'pending' })
    const request = pending.requests.find(r => r.peer === alice.peerId)
    expect(request).toBeDefined()
    await carol.call('consent.approve', { id: request!.id })
    expect(await alice.call('introduce', { ...ask, ticket: asked.ticket })).toMatchObject({ status: 'granted' })

    const q = await alice.call('query', { peer: carol.peerId, text: 'where is your boat and the lock code', k: 5 })
    expect(q.items.map(i => i.text)).toEqual(['I keep my boat at the harbour in Lausanne and sail on weekends'])
    const talk = await alice.call('converse', { peer: carol.peerId, message: 'Where do you keep your boat?' })
    expect(talk.text).toContain('Lausanne')
    expect(talk.text).not.toContain('7788')
    const peers = await alice.call('peers', {})
    expect(peers.peers.find(p => p.peerId === carol.peerId)?.link).toBe('relayed')

    const grants = await carol.call('grants', {})
    for (const g of grants.issued) await carol.call('revoke', { id: g.id })
    await expect(alice.call('query', { peer: carol.peerId, text: 'boat', k: 5 })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
  }, 120_000)
  it('two homes behind cone NATs punch a direct connection, and the flow runs on it', async () => {
    await alice.call('handshake', { peer: bob.peerId })
    await until('a direct link alice-bob', async () => {
      const peers = await alice.call('peers', {})
      return peers.peers.find(p => p.peerId === bob.peerId)?.link === 'direct' ? true : undefined
    }, 15_000, 250)
    await bob.call('rules.add', { effect: 'allow', actions: ['memory:read', 'converse'], scope: { topics: ['climbing'], visibility: ['shareable'] } })
    const ask = { peer: bob.peerId, actions: ['memory:read', 'converse'], visibility: ['shareable'], topics: ['climbing'], purpose: 'lab', durationSec: 3600 }
    expect(await alice.call('introduce', ask)).toMatchObject({ status: 'granted' })
    const q = await alice.call('query', { peer: bob.peerId, text: 'where do you climb', k: 5 })
    expect(q.items.map(i => i.text)).toEqual(['I climb at the Salève every Saturday morning'])
    const talk = await alice.call('converse', { peer: bob.peerId, message: 'Where do you climb?' })
    expect(talk.text).toContain('Salève')
    const peers = await alice.call('peers', {})
    expect(peers.peers.find(p => p.peerId === bob.peerId)?.link).toBe('direct')
    // The circuit to bob is closed once its streams are done: only peers with no direct link (carol)
    // keep a relayed connection, one each.
    await until('the relayed connection to bob closed', async () => {
      const net = await networkOf(alice)
      const links = await alice.call('peers', {})
      return net?.connections.relayed === links.peers.filter(p => p.link === 'relayed').length ? true : undefined
    }, 40_000, 500)
  }, 90_000)
})
