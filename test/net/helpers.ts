import { generateKeyPair } from '@libp2p/crypto/keys'
import { NetNode, type NetNodeInit } from '../../src/net/index.js'

let counter = 0

/** `count` nodes on the in-process memory transport, each bootstrapped from the first. */
export async function memoryNetwork (count: number, init: (i: number) => Partial<NetNodeInit> = () => ({})): Promise<NetNode[] & AsyncDisposable> {
  const nodes: NetNode[] = []
  const run = `${process.pid}-${++counter}-${Date.now()}`
  for (let i = 0; i < count; i++) {
    const extra = init(i)
    const bootstrap = i === 0 ? [] : [nodes[0]!.multiaddrs()[0]!]
    const node = await NetNode.create({
      privateKey: await generateKeyPair('Ed25519'),
      transport: 'memory',
      listen: [`/memory/secondme-test-${run}-${i}`],
      bootstrap,
      simulation: true,
      profile: () => ({ displayName: `node ${i}`, topics: [] }),
      ...extra
    })
    await node.start()
    nodes.push(node)
  }
  return Object.assign(nodes, {
    [Symbol.asyncDispose]: async () => { await Promise.all(nodes.map(async n => { await n.stop() })) }
  })
}
