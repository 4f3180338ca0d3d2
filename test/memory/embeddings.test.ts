import { afterAll, describe, expect, it } from 'vitest'
import type { Embedder } from '../../src/model/embedder.js'
import { UseEmbedder } from '../../src/model/use-embedder.js'
import { SecondMe } from '../../src/node.js'
import { freshNode } from './helpers.js'

/** The real USE model under another id: what a change of embedder looks like to the memory. */
function renamed (inner: Embedder, id: string): Embedder & { calls: number } {
  const wrapper = {
    id, dimension: inner.dimension, calls: 0,
    embed: async (texts: string[]) => { wrapper.calls += texts.length; return await inner.embed(texts) },
    close: async () => {}
  }
  return wrapper
}

describe.sequential('memory with the real USE embedder', () => {
  const use = new UseEmbedder()
  afterAll(async () => { await use.close() })

  it('recalls by meaning, persists vectors, does not re-embed on reopen, re-embeds on a new embedder', async () => {
    await using node = await freshNode({ embedder: use })
    const m = node.me.memory
    const dog = await m.addText('We brought home a tiny spaniel from the shelter.')
    await m.addText('The quarterly tax return is due in April.')
    await m.addText('I repainted the kitchen walls pale green.')
    expect(m.pendingEmbeddings).toBe(3)
    expect(await m.embedPending()).toBe(3)
    expect(use.embedded).toBe(3)
    expect(await node.me.vault.binaryStore('memory-vectors').count()).toBe(3)

    const hits = await m.recall('puppy adoption', { k: 3 })
    expect(hits[0]?.id).toBe(dog.id)
    expect(use.embedded).toBe(4)
    await node.me.close()

    // Reopen with the same embedder: vectors come from the vault, only the query is embedded.
    const again = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: use } })
    try {
      expect(again.memory.pendingEmbeddings).toBe(0)
      expect(use.embedded).toBe(4)
      expect((await again.memory.recall('puppy adoption', { k: 1 }))[0]?.id).toBe(dog.id)
      expect(use.embedded).toBe(5)
    } finally {
      await again.close()
    }

    // Another embedder id: the old vectors are dropped, never mixed with the new ones.
    const other = renamed(use, 'other-model@1/512')
    const third = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: other } })
    try {
      expect(third.memory.pendingEmbeddings).toBe(3)
      expect(await third.memory.embedPending()).toBe(3)
      expect(other.calls).toBe(3)
    } finally {
      await third.close()
    }
  })
})
