import { describe, expect, it } from 'vitest'
import type { Stream } from '@libp2p/interface'
import { SecondMe } from '../../src/node.js'
import { MAX_PROTOCOL_STREAMS_PER_CONNECTION, MAX_STREAMS_PER_PEER } from '../../src/net/stream-limits.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

let run = 0
async function node (dir: string, name: string, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  await me.start({ transport: 'memory', listen: [`/memory/limits-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

async function until (check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('stream limits', () => {
  it('caps streams per connection and protocol, and per peer across protocols, without listener warnings', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error): void => { warnings.push(w.name) }
    process.on('warning', onWarning)
    await using tmp = await tempDir()
    const victim = await node(tmp.path, 'victim')
    const attacker = await node(tmp.path, 'attacker', [victim.net!.multiaddrs()[0]!])
    const opened: Stream[] = []
    try {
      const target = victim.net!.libp2p.peerId
      const open = async (protocol: string, n: number): Promise<void> => {
        const results = await Promise.allSettled(Array.from({ length: n }, async () => await attacker.net!.libp2p.dialProtocol(target, protocol)))
        for (const r of results) if (r.status === 'fulfilled') opened.push(r.value)
      }
      const served = (protocol: string): number => victim.net!.libp2p.getConnections(attacker.net!.libp2p.peerId)
        .reduce((n, c) => n + c.streams.filter(s => s.protocol === protocol && s.direction === 'inbound' && s.status === 'open').length, 0)
      const gate = victim.net!.streamGate
      // One protocol on one connection: the registrar stops at its per-protocol cap.
      await open('/secondme/memory/1.0.0', MAX_PROTOCOL_STREAMS_PER_CONNECTION + 8)
      await open('/secondme/converse/1.0.0', MAX_PROTOCOL_STREAMS_PER_CONNECTION)
      await until(() => gate.open(attacker.peerId) >= MAX_STREAMS_PER_PEER)
      expect(served('/secondme/memory/1.0.0')).toBeLessThanOrEqual(MAX_PROTOCOL_STREAMS_PER_CONNECTION)
      // Past the per-peer cap every further stream of ours is refused, whatever the protocol.
      await open('/secondme/intro/1.0.0', 16)
      await until(() => gate.refused >= 16)
      expect(gate.open(attacker.peerId)).toBe(MAX_STREAMS_PER_PEER)
      expect(served('/secondme/intro/1.0.0')).toBe(0)
      expect(warnings.filter(w => w === 'MaxListenersExceededWarning')).toEqual([])
    } finally {
      for (const s of opened) s.abort(new Error('done'))
      process.off('warning', onWarning)
      await Promise.all([victim.close(), attacker.close()])
    }
  })
})
