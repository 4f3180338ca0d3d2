import { describe, expect, it } from 'vitest'
import { runOp } from '../../src/ops.js'
import { SecondMe } from '../../src/node.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

let run = 0

async function node (dir: string, name: string, net: Record<string, unknown>, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  Object.assign(me.config, { net })
  await me.start({ transport: 'memory', listen: [`/memory/sm-topic-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

describe('announced, granted and selected topics are one vocabulary', () => {
  it('introduce --topics sailing -> approve -> query returns the sailing memory and nothing private', async () => {
    await using tmp = await tempDir()
    // Memories arrive without any topic named by hand; the announced topic "sailing" selects them.
    const alex = await SecondMe.init({ home: `${tmp.path}/alex`, passphrase: 'pw', displayName: 'Alex', kdf: TEST_KDF, memory: { embedder: null } })
    const sail = await alex.memory.addText('Sam! I finally booked the sailing trip to the Azores for June.', { speaker: 'Alex', visibility: 'shareable' })
    await alex.memory.addText('The sailing club locker code is 7719.', { speaker: 'Alex', visibility: 'private' })
    await alex.memory.addText('My favourite dish is grilled sardines.', { speaker: 'Alex', visibility: 'shareable' })
    Object.assign(alex.config, { net: { topics: ['sailing'] } })
    await alex.start({ transport: 'memory', listen: [`/memory/sm-topic-${process.pid}-${++run}-alex`], simulation: true })
    const sam = await node(tmp.path, 'sam', {}, [alex.net!.multiaddrs()[0]!])
    try {
      expect(alex.memory.declaredTopics().map(t => t.label)).toEqual(['sailing'])
      const asked = await runOp(sam, 'introduce', { peer: alex.peerId, topics: ['sailing'], visibility: ['shareable'], purpose: 'sailing tips' }) as { status: string, ticket: string }
      expect(asked.status).toBe('pending')
      const [request] = await alex.policy.consent.list('pending')
      await alex.policy.approve(request!.id)
      expect((await runOp(sam, 'introduce', { peer: alex.peerId, ticket: asked.ticket }) as { status: string }).status).toBe('granted')
      const answer = await runOp(sam, 'query', { peer: alex.peerId, text: 'sailing trip locker code sardines', k: 10 }) as { items: Array<{ id: string, text: string }> }
      expect(answer.items.map(i => i.id)).toEqual([sail.id])
      expect(JSON.stringify(answer)).not.toContain('7719')
    } finally {
      await sam.close()
      await alex.close()
    }
  })
})
