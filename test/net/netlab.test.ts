import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, labUnavailable, type Lab } from '../../scripts/netlab/lab.js'
import { LAB_PORT, makeHome, networkOf, startNode, until, type LabNode } from '../../scripts/netlab/nodes.js'
import { REPO_ROOT, TEST_KDF, tempDir } from '../helpers/tmp.js'

// The NAT lab: a relay on the "internet", Alice's laptop behind a cone NAT and Carol's behind a
// symmetric NAT, each a real `secondme start` process in its own network namespace. Neither can dial
// the other directly, so everything goes through the relay.

const why = await labUnavailable()
if (why !== undefined) console.warn(`NAT lab skipped: ${why}`)

describe.skipIf(why !== undefined)('NAT lab: nodes behind different NATs meet through a relay', () => {
  let lab: Lab | undefined
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined
  const nodes: LabNode[] = []
  let alice: LabNode
  let carol: LabNode

  beforeAll(async () => {
    tmp = await tempDir()
    lab = await createLab([{ name: 'relay' }, { name: 'alice', nat: 'cone' }, { name: 'carol', nat: 'symmetric' }])
    const dirs = { relay: join(tmp.path, 'relay'), alice: join(tmp.path, 'alice'), carol: join(tmp.path, 'carol') }
    await makeHome(dirs.relay, { name: 'Relay' }, TEST_KDF)
    await makeHome(dirs.alice, { name: 'Alice' }, TEST_KDF)
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
    for (const name of ['alice', 'carol'] as const) {
      nodes.push(await startNode(lab, name, dirs[name], REPO_ROOT, ['--listen', `/ip4/0.0.0.0/tcp/${LAB_PORT}`, '--bootstrap', boot]))
    }
    alice = nodes[1]!
    carol = nodes[2]!
  }, 120_000)

  afterAll(async () => {
    await Promise.all(nodes.map(async n => await n.stop()))
    await lab?.destroy()
    await tmp?.[Symbol.asyncDispose]()
  }, 60_000)

  it('each home node finds out it is private, reserves a relay slot and announces the relayed address', async () => {
    for (const node of [alice, carol]) {
      const net = await until(`${node.host} behind a relay`, async () => {
        const n = await networkOf(node)
        return n !== undefined && n.relays.length > 0 && n.addresses.some(a => a.includes('/p2p-circuit')) ? n : undefined
      }, 60_000)
      expect(net).toMatchObject({ reachability: 'private', dhtMode: 'client' })
    }
  }, 90_000)

  it('find by topic, introduce, consent, query under the grant, converse; a revoked grant is refused — all relayed', async () => {
    const found = await until('carol by topic', async () => {
      const r = await alice.call('find', { topic: 'sailing', limit: 20 }) as { peers: Array<{ peerId: string }> }
      return r.peers.some(p => p.peerId === carol.peerId) ? r : undefined
    }, 60_000, 1_000)
    expect(found.peers.map(p => p.peerId)).toContain(carol.peerId)

    const ask = { peer: carol.peerId, actions: ['memory:read', 'converse'], visibility: ['shareable'], topics: ['sailing'], purpose: 'lab', durationSec: 3600 }
    const asked = await alice.call('introduce', ask) as { status: string, ticket: string }
    expect(asked.status).toBe('pending')
    const pending = await carol.call('consent', { state: 'pending' }) as { requests: Array<{ id: string, peer: string }> }
    const request = pending.requests.find(r => r.peer === alice.peerId)
    expect(request).toBeDefined()
    await carol.call('consent.approve', { id: request!.id })
    expect(await alice.call('introduce', { ...ask, ticket: asked.ticket })).toMatchObject({ status: 'granted' })

    const q = await alice.call('query', { peer: carol.peerId, text: 'where is your boat and the lock code', k: 5 }) as { items: Array<{ text: string }> }
    expect(q.items.map(i => i.text)).toEqual(['I keep my boat at the harbour in Lausanne and sail on weekends'])
    const talk = await alice.call('converse', { peer: carol.peerId, message: 'Where do you keep your boat?' }) as { text: string }
    expect(talk.text).toContain('Lausanne')
    expect(talk.text).not.toContain('7788')
    const peers = await alice.call('peers') as { peers: Array<{ peerId: string, link: string | null }> }
    expect(peers.peers.find(p => p.peerId === carol.peerId)?.link).toBe('relayed')

    const grants = await carol.call('grants') as { issued: Array<{ id: string }> }
    for (const g of grants.issued) await carol.call('revoke', { id: g.id })
    await expect(alice.call('query', { peer: carol.peerId, text: 'boat', k: 5 })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
  }, 120_000)
})
