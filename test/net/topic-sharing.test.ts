import { describe, expect, it } from 'vitest'
import { call } from '../../src/ops.js'
import { SecondMe } from '../../src/node.js'
import { reopenWithNet } from '../helpers/net-config.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

let run = 0

async function node (dir: string, name: string, net: Record<string, unknown>, bootstrap: string[] = []): Promise<SecondMe> {
  let me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  if (Object.keys(net).length > 0) me = await reopenWithNet(me, net)
  await me.start({ transport: 'memory', listen: [`/memory/sm-topic-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

describe('announced, granted and selected topics are one vocabulary', () => {
  it('introduce --topics sailing -> approve -> query returns the sailing memory and nothing private', async () => {
    await using tmp = await tempDir()
    // Memories arrive without any topic named by hand; the announced topic "sailing" selects them.
    let alex = await SecondMe.init({ home: `${tmp.path}/alex`, passphrase: 'pw', displayName: 'Alex', kdf: TEST_KDF, memory: { embedder: null } })
    const sail = await alex.memory.addText('Sam! I finally booked the sailing trip to the Azores for June.', { speaker: 'Alex', visibility: 'shareable' })
    await alex.memory.addText('The sailing club locker code is 7719.', { speaker: 'Alex', visibility: 'private' })
    await alex.memory.addText('My favourite dish is grilled sardines.', { speaker: 'Alex', visibility: 'shareable' })
    alex = await reopenWithNet(alex, { topics: ['sailing'] })
    await alex.start({ transport: 'memory', listen: [`/memory/sm-topic-${process.pid}-${++run}-alex`], simulation: true })
    const sam = await node(tmp.path, 'sam', {}, [alex.net!.multiaddrs()[0]!])
    try {
      expect(alex.memory.declaredTopics().map(t => t.label)).toEqual(['sailing'])
      const asked = await call(sam, 'introduce', { peer: alex.peerId, topics: ['sailing'], visibility: ['shareable'], purpose: 'sailing tips' })
      if (asked.status !== 'pending') throw new Error(`introduce: ${asked.status}`)
      const [request] = await alex.policy.consent.list('pending')
      await alex.policy.approve(request!.id)
      expect((await call(sam, 'introduce', { peer: alex.peerId, ticket: asked.ticket })).status).toBe('granted')
      const answer = await call(sam, 'query', { peer: alex.peerId, text: 'sailing trip locker code sardines', k: 10 })
      expect(answer.items.map(i => i.id)).toEqual([sail.id])
      expect(JSON.stringify(answer)).not.toContain('7719')
    } finally {
      await sam.close()
      await alex.close()
    }
  })
})
