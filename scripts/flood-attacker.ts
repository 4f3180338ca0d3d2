import '../src/polyfill.js'
import { createInterface } from 'node:readline'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { NetNode, memorySpec } from '../src/net/index.js'
import { isSecondMeError } from '../src/errors.js'

// The attacker of `bench:net -- --flood`, in its own process: one peer with a valid grant sending
// memory queries as fast as the server answers them, on `concurrency` parallel streams.
// argv: server-multiaddr seconds concurrency. Prints {peerId}, reads {grant} on stdin, prints stats.

const [server, seconds, concurrency] = process.argv.slice(2) as [string, string, string]
const node = await NetNode.create({
  privateKey: await generateKeyPair('Ed25519'),
  transport: 'tcp',
  listen: ['/ip4/127.0.0.1/tcp/0'],
  bootstrap: [server],
  simulation: true,
  announce: false,
  profile: () => ({ topics: [] })
})
await node.start()
console.log(JSON.stringify({ peerId: node.peerId }))
const lines = createInterface({ input: process.stdin })
const { grant, serverId } = JSON.parse(await new Promise<string>(resolve => lines.once('line', resolve))) as { grant: Record<string, unknown>, serverId: string }
const counts = { sent: 0, ok: 0, errors: {} as Record<string, number> }
const until = Date.now() + Number(seconds) * 1000
await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
  while (Date.now() < until) {
    let session
    try {
      session = await node.client.session(serverId, memorySpec)
      while (Date.now() < until) {
        counts.sent++
        await session.request('query', { grant, query: 'weekend plans sailing', k: 5 })
        counts.ok++
      }
    } catch (err) {
      const code = isSecondMeError(err) ? err.code : 'other'
      counts.errors[code] = (counts.errors[code] ?? 0) + 1
    } finally {
      await session?.close().catch(() => {})
    }
  }
}))
console.log(JSON.stringify(counts))
await node.stop()
process.exit(0)
