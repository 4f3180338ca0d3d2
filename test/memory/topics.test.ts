import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DeclaredTopic } from '../../src/memory/declared.js'
import { UseEmbedder } from '../../src/model/use-embedder.js'
import { SHARED } from '../helpers/tmp.js'
import { checkedCall } from '../helpers/ops.js'
import { freshNode, writeJson } from './helpers.js'

interface Fixture { topics: DeclaredTopic[], items: Array<{ id: string, speaker: string, text: string, topics: string[] }> }

describe('declared topics', () => {
  it('select memories by meaning on the hand-labelled fixture: precision >= 0.90, recall >= 0.80', async () => {
    const fx = JSON.parse(await readFile(join(import.meta.dirname, '..', 'fixtures', 'topics.json'), 'utf8')) as Fixture
    const embedder = new UseEmbedder()
    await using node = await freshNode({ embedder })
    const m = node.me.memory
    const ids = new Map<string, string>()
    for (const item of fx.items) ids.set((await m.addText(item.text, { speaker: item.speaker, source: item.id, topics: [] })).id, item.id)
    await m.embedPending()
    let chosen = 0; let hits = 0; let relevant = 0
    for (const t of fx.topics) {
      const r = await m.declareTopic(t.label, t.about)
      const picked = new Set(m.topicItems(t.label).map(i => ids.get(i.id)))
      expect(r.count).toBe(picked.size)
      const wanted = new Set(fx.items.filter(i => i.topics.includes(t.label)).map(i => i.id))
      chosen += picked.size; relevant += wanted.size
      hits += [...picked].filter(id => id !== undefined && wanted.has(id)).length
    }
    expect(fx.items.length).toBeGreaterThanOrEqual(150)
    expect(fx.topics.length).toBeGreaterThanOrEqual(10)
    expect(hits / chosen).toBeGreaterThanOrEqual(0.9)
    expect(hits / relevant).toBeGreaterThanOrEqual(0.8)
    await embedder.close()
  })

  it('declares, renames, merges and removes topics; later items join a declared topic', async () => {
    await using node = await freshNode()
    const m = node.me.memory
    const boat = await m.addText('We took the boat out and went sailing past the lighthouse.', { speaker: 'Alex' })
    await m.addText('The dentist moved my appointment to Friday.', { speaker: 'Alex' })
    expect((await m.declareTopic('Sailing', 'boats, the sea')).count).toBe(1)
    expect(m.topicItems('sailing').map(i => i.id)).toEqual([boat.id])
    const later = await m.addText('Our new sail arrived, the boat is ready.', { speaker: 'Alex' })
    expect(m.topicItems('sailing').map(i => i.id)).toContain(later.id)
    expect(await m.renameTopic('sailing', 'boating')).toEqual({ changed: 2 })
    expect(m.declaredTopics().map(t => t.label)).toEqual(['boating'])
    await m.declareTopic('lighthouses')
    await m.mergeTopics(['lighthouses'], 'boating')
    expect(m.declaredTopics().map(t => t.label)).toEqual(['boating'])
    expect(await m.removeTopic('boating')).toEqual({ changed: 2 })
    expect(m.topicItems('boating')).toEqual([])
    await expect(m.removeTopic('boating')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('keeps the labels the owner gave when a topic of that name is declared; takes away only what selection gave', async () => {
    await using node = await freshNode()
    const m = node.me.memory
    const own = await m.addText('A weekend on the water with the club, past the lighthouse.', { speaker: 'Alex', topics: ['boats'] })
    const picked = await m.addText('We went sailing on Sunday.', { speaker: 'Alex' })
    await m.declareTopic('boats', 'sailing')
    expect(m.topicItems('boats').map(i => i.id).sort()).toEqual([own.id, picked.id].sort())
    // Re-described: the sailing memory no longer fits and loses the label; the owner's own label stays.
    await m.declareTopic('boats', 'rowing')
    expect(m.topicItems('boats').map(i => i.id)).toEqual([own.id])
    await m.renameTopic('boats', 'water')
    await m.declareTopic('water', 'rowing')
    expect(m.topicItems('water').map(i => i.id)).toEqual([own.id])
  })

  it('groups memories by meaning into named topics (clusters), from the embeddings alone', async () => {
    const themes: Record<string, string[]> = {
      sailing: ['We sailed the boat out past the harbour at dawn.', 'The wind filled the sail and the boat heeled over.', 'I learned to tie sailing knots on the boat today.', 'Our sailing trip along the coast took three days by boat.', 'The boat needs a new sail before the regatta.'],
      pottery: ['I threw three bowls on the pottery wheel today.', 'The kiln fired my clay mugs overnight.', 'My pottery class is glazing clay vases this week.', 'The clay cracked in the kiln, so the pottery bowl broke.', 'I bought new clay and glaze for pottery at home.'],
      baking: ['I baked sourdough bread with a crisp crust.', 'The bread dough rose overnight before baking.', 'Baking rye bread needs a warm oven and patience.', 'My sourdough starter makes the bread taste tangy.', 'I am baking bread rolls for the picnic.']
    }
    const embedder = new UseEmbedder()
    await using node = await freshNode({ embedder })
    const theme = new Map<string, string>()
    for (const [name, texts] of Object.entries(themes)) for (const text of texts) theme.set((await node.me.memory.addText(text, { speaker: 'Alex' })).id, name)
    await node.me.memory.embedPending()
    const clusters = await checkedCall(node.me, 'clusters', {})
    expect(clusters.length).toBeGreaterThanOrEqual(2)
    for (const c of node.me.memory.clusters()) {
      // Every group is one theme, and its name says which.
      expect(new Set(c.items.map(id => theme.get(id))).size).toBe(1)
      expect(c.label).toMatch(/sail|boat|pottery|clay|kiln|bread|sourdough|baking/)
    }
    await embedder.close()
  })

  it('labels LoCoMo topics with nouns: never a stop word, filler, generic word or the parser\'s annotation', async () => {
    const samples = JSON.parse(await readFile(join(SHARED, 'data', 'locomo', 'dev.json'), 'utf8')) as Array<{ sample_id: string, conversation: unknown }>
    await using node = await freshNode()
    const first = samples[0]
    const file = await writeJson(node.dir, 'conv.json', [{ sample_id: first?.sample_id, conversation: first?.conversation }])
    await node.me.memory.ingest([file])
    const labels = node.me.memory.topics().map(t => t.topic)
    expect(labels.length).toBeGreaterThan(5)
    const bad = /^(photo|shares?|love|great|thanks|help|awesome|the|and|you|yeah|wow|really|just|lot|thing|time)$/
    for (const label of labels) for (const word of label.split(' ')) expect(word).not.toMatch(bad)
  })
})
