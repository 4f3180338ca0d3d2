import { describe, expect, it } from 'vitest'
import { runOp } from '../../src/ops.js'
import { SecondMe } from '../../src/node.js'
import { checkedCall } from '../helpers/ops.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// Real Second Mes (vault, memory, policy, extractive responder) talking over the memory transport.

let run = 0

async function node (dir: string, name: string, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  await me.start({ transport: 'memory', listen: [`/memory/sm-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

describe('Second Mes over the network', () => {
  it('introduce with consent, share only in-scope memories, converse, refuse stolen and revoked grants', async () => {
    await using tmp = await tempDir()
    const alice = await node(tmp.path, 'alice')
    const boot = [alice.net!.multiaddrs()[0]!]
    const bob = await node(tmp.path, 'bob', boot)
    const carol = await node(tmp.path, 'carol', boot)
    try {
      const sail = await alice.memory.addText('I sail on Lake Geneva every weekend in summer', { visibility: 'shareable', topics: ['sailing'] })
      const secret = await alice.memory.addText('My bank PIN for the weekend account is 4321', { visibility: 'private', topics: ['sailing'] })
      await alice.memory.addText('On weekends I also cook risotto for friends', { visibility: 'shareable', topics: ['cooking'] })
      const A = alice.peerId

      // Ask: no standing rule, so the request waits in Alice's consent queue.
      const asked = await checkedCall(bob, 'introduce', { peer: A, topics: ['sailing'], visibility: ['shareable'], purpose: 'sailing tips' })
      if (asked.status !== 'pending') throw new Error(`expected pending, got ${asked.status}`)
      const [request] = await alice.policy.consent.list('pending')
      expect(request?.peer).toBe(bob.peerId)
      await alice.policy.approve(request!.id)
      const granted = await checkedCall(bob, 'introduce', { peer: A, ticket: asked.ticket })
      expect(granted.status).toBe('granted')

      // Only shareable sailing memories come back: not the private one, not the cooking one.
      const answer = await checkedCall(bob, 'query', { peer: A, text: 'what do you do on the weekend', k: 10 })
      expect(answer.items.map(i => i.id)).toEqual([sail.id])
      const pin = await checkedCall(bob, 'query', { peer: A, text: 'bank PIN' })
      expect(pin.items).toEqual([])

      const reply = await checkedCall(bob, 'converse', { peer: A, message: 'Where do you go sailing on weekends?' })
      expect(reply.mode).toBe('extractive')
      expect(reply.text).toContain('Lake Geneva')
      expect(reply.text).not.toContain('4321')
      expect(reply.cited.every(id => id === sail.id)).toBe(true)
      const next = await checkedCall(bob, 'converse', { peer: A, message: 'And what is your bank PIN?', conversation: reply.conversation, turn: 1 })
      expect(next).toMatchObject({ conversation: reply.conversation, turn: 1 })
      expect(next.text).not.toContain('4321')

      // Both owners can read the conversation back: Bob's side cites Alice's memories, Alice's side
      // names what her agent showed Bob (never the private memory).
      const theirs = await checkedCall(alice, 'conversations', { peer: bob.peerId })
      expect(theirs.conversations).toHaveLength(1)
      const heard = theirs.conversations[0]!
      expect(heard).toMatchObject({ id: reply.conversation, direction: 'in', peer: bob.peerId })
      expect(heard.turns.map(t => t.from)).toEqual(['peer', 'self', 'peer', 'self'])
      expect(heard.turns[0]!.text).toBe('Where do you go sailing on weekends?')
      expect(heard.turns[1]!.memories).toContain(sail.id)
      expect(heard.turns.flatMap(t => t.memories ?? [])).not.toContain(secret.id)
      const mine = await checkedCall(bob, 'conversations', {})
      expect(mine.conversations.map(c => [c.direction, c.peer, c.turns.length])).toEqual([['out', A, 4]])
      expect(mine.conversations[0]!.turns[1]).toMatchObject({ from: 'peer', text: reply.text, memories: reply.cited })

      // Carol presents Bob's grant: wrong audience.
      const stolen = await bob.policy.receivedGrantFor(A, 'memory:read')
      await expect(runOp(carol, 'query', { peer: A, text: 'weekend', grant: stolen })).rejects.toMatchObject({ code: 'E_GRANT_AUDIENCE' })

      // Revoked: refused with a stable code, nothing disclosed.
      const issued = (await alice.policy.book.list()).issued
      for (const g of issued) await alice.policy.revoke(g.id)
      await expect(runOp(bob, 'query', { peer: A, text: 'weekend' })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })

      // The audit log holds the disclosed ids and the refusals, and its chain verifies.
      const entries = await alice.policy.audit.list(1000)
      expect(entries.some(e => e.kind === 'disclose' && e.items?.includes(sail.id))).toBe(true)
      expect(entries.some(e => e.code === 'E_GRANT_REVOKED')).toBe(true)
      expect((await alice.policy.audit.verify()).ok).toBe(true)

      // DHT: Bob finds Carol's profile and Alice's peers list knows both.
      await bob.net!.announce()
      const carolProfile = await checkedCall(alice, 'profile', { peer: carol.peerId })
      expect(carolProfile.profile.displayName).toBe('carol')
      expect(await checkedCall(bob, 'handshake', { peer: A })).toMatchObject({ profile: { peerId: A } })
      expect(await checkedCall(alice, 'net.status', {})).toMatchObject({ peerId: A })
      expect((await checkedCall(alice, 'peers', {})).peers.map(p => p.peerId)).toEqual(expect.arrayContaining([bob.peerId, carol.peerId]))
      await alice.net!.announce()
      expect(await checkedCall(bob, 'find', { topic: 'sailing' })).toMatchObject({ topic: 'sailing' })
      expect(await checkedCall(bob, 'net.hangup', { peer: carol.peerId })).toEqual({ peer: carol.peerId, closed: true })
    } finally {
      await Promise.all([alice.close(), bob.close(), carol.close()])
    }
  })
})
