import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeConfig, readConfig } from '../../src/config.js'
import { SecondMe } from '../../src/node.js'
import { runCli } from '../helpers/cli.js'
import { spawnSecondMe, stopSecondMe } from '../helpers/spawn.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// Three `secondme start` processes on TCP loopback; Bob and Carol only know Alice's address.

const ENV = { SECONDME_PASSPHRASE: 'tcp test passphrase' }

async function makeHome (home: string, name: string, topics: string[], memories: Array<[string, 'private' | 'shareable', string]>): Promise<void> {
  const me = await SecondMe.init({ home, passphrase: 'tcp test passphrase', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  for (const [text, visibility, topic] of memories) await me.memory.addText(text, { visibility, topics: [topic] })
  await me.close()
  const config = await readConfig(join(home, 'config.json'))
  await writeConfig(join(home, 'config.json'), { ...config, memory: { ...config.memory, embedder: 'none' }, net: { topics, bio: `${name} on the network` } })
}

interface Running { child: ChildProcessWithoutNullStreams, peerId: string, addresses: string[] }

async function start (home: string, bootstrap: string[] = []): Promise<Running> {
  const child = spawnSecondMe(['--home', home, '--json', 'start', '--http', '127.0.0.1:0', ...(bootstrap.length > 0 ? ['--bootstrap', ...bootstrap] : [])], ENV)
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const ready = await new Promise<{ peerId: string, addresses: string[] }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      try { resolve(JSON.parse(out) as { peerId: string, addresses: string[] }) } catch { /* not complete yet */ }
    })
    child.on('exit', code => { reject(new Error(`start exited ${code}: ${err}`)) })
  })
  return { child, ...ready }
}

async function stop (r: Running): Promise<number | null> {
  return await stopSecondMe(r.child)
}

async function cli (home: string, ...args: string[]): Promise<{ code: number | null, json: unknown, stderr: string }> {
  const r = await runCli(['--home', home, '--json', ...args], ENV)
  let json: unknown
  try { json = JSON.parse(r.stdout) } catch { json = undefined }
  return { code: r.code, json, stderr: r.stderr }
}

describe('secondme start: processes over TCP loopback', () => {
  it('discover through the DHT, introduce, share in scope, converse, revoke', async () => {
    await using tmp = await tempDir()
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(n => join(tmp.path, n)) as [string, string, string]
    await makeHome(alice, 'Alice', ['chess'], [])
    await makeHome(bob, 'Bob', [], [])
    await makeHome(carol, 'Carol', ['Sailing'], [
      ['I keep my boat at the harbour in Lausanne and sail on weekends', 'shareable', 'sailing'],
      ['My boat lock code is 7788', 'private', 'sailing'],
      ['I bake sourdough bread on Sundays', 'shareable', 'baking']
    ])
    const a = await start(alice)
    const nodes: Running[] = [a]
    try {
      nodes.push(await start(bob, [a.addresses[0]!]), await start(carol, [a.addresses[0]!]))
      const c = nodes[2]!

      // Bob knows only Alice; he finds Carol by topic through the DHT (she announces once connected).
      let found: string[] = []
      for (let i = 0; i < 30 && !found.includes(c.peerId); i++) {
        const r = await cli(bob, 'find', '--topic', 'sailing')
        found = ((r.json as { peers?: Array<{ peerId: string }> } | undefined)?.peers ?? []).map(p => p.peerId)
      }
      expect(found).toContain(c.peerId)

      const asked = await cli(bob, 'introduce', c.peerId, '--topics', 'sailing', '--actions', 'memory:read,converse')
      expect(asked.json).toMatchObject({ status: 'pending' })
      const pending = await cli(carol, 'consent', '--state', 'pending')
      const request = (pending.json as { requests: Array<{ id: string, peer: string }> }).requests.find(r => r.peer === nodes[1]!.peerId)
      expect(request).toBeDefined()
      expect((await cli(carol, 'consent', 'approve', request!.id)).code).toBe(0)
      const granted = await cli(bob, 'introduce', c.peerId, '--ticket', (asked.json as { ticket: string }).ticket)
      expect(granted.json).toMatchObject({ status: 'granted' })

      const q = await cli(bob, 'query', c.peerId, 'where is your boat and the lock code')
      const texts = (q.json as { items: Array<{ text: string }> }).items.map(i => i.text)
      expect(texts).toEqual(['I keep my boat at the harbour in Lausanne and sail on weekends'])

      const talk = await cli(bob, 'converse', c.peerId, 'Where do you keep your boat?')
      expect(talk.code).toBe(0)
      expect((talk.json as { text: string }).text).toContain('Lausanne')
      expect((talk.json as { text: string }).text).not.toContain('7788')

      const grants = await cli(carol, 'grants')
      for (const g of (grants.json as { issued: Array<{ id: string }> }).issued) expect((await cli(carol, 'revoke', g.id)).code).toBe(0)
      const refused = await cli(bob, 'query', c.peerId, 'boat')
      expect(refused.code).toBe(77)
      expect(refused.stderr).toContain('E_GRANT_REVOKED')
    } finally {
      const codes = await Promise.all(nodes.map(stop))
      expect(codes).toEqual(nodes.map(() => 0))
    }
  }, 180_000)
})

describe('network commands without a running node', () => {
  it('fail with E_NODE_NOT_RUNNING and change nothing', async () => {
    await using tmp = await tempDir()
    const home = join(tmp.path, 'solo')
    await (await SecondMe.init({ home, passphrase: 'tcp test passphrase', kdf: TEST_KDF, memory: { embedder: null } })).close()
    const r = await cli(home, 'peers')
    expect(r.code).toBe(69)
    expect(r.stderr).toContain('E_NODE_NOT_RUNNING')
    const bad = await cli(home, 'start', '--transport', 'carrier-pigeon')
    expect(bad.code).toBe(64)
  })
})
