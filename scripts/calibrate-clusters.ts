// Calibrates topic clustering (src/memory/clusters.ts CLUSTER_PARAMS) on the hand-labelled fixture
// test/fixtures/topics.json: clusters the embedded items and prints, per similarity threshold, how
// many topics form, their purity (share of a group's labelled members in its main topic) and how
// many labelled items land in a topic at all.
//
// usage: tsx scripts/calibrate-clusters.ts
import { readFileSync } from 'node:fs'
import { CLUSTER_PARAMS, clusterVectors } from '../src/memory/clusters.js'
import { embeddingText } from '../src/memory/items.js'
import { normalise, UseEmbedder } from '../src/model/use-embedder.js'

interface Fixture { items: Array<{ id: string, speaker: string, text: string, topics: string[] }> }
const fx = JSON.parse(readFileSync('test/fixtures/topics.json', 'utf8')) as Fixture
const embedder = new UseEmbedder()
const vectors = (await embedder.embed(fx.items.map(i => embeddingText(i)))).map(v => normalise(v))
await embedder.close()
const labelled = fx.items.filter(i => i.topics.length > 0).length
for (const similarity of [0.5, 0.55, 0.6, 0.65, 0.7]) {
  const groups = clusterVectors(vectors, { ...CLUSTER_PARAMS, similarity })
  let pure = 0; let members = 0
  for (const g of groups) {
    const counts = new Map<string, number>()
    const inGroup = g.map(i => fx.items[i]).filter(i => i !== undefined && i.topics.length > 0)
    for (const item of inGroup) for (const t of item?.topics ?? []) counts.set(t, (counts.get(t) ?? 0) + 1)
    pure += Math.max(0, ...counts.values()); members += inGroup.length
  }
  const mark = similarity === CLUSTER_PARAMS.similarity ? '  <- current' : ''
  console.log(`similarity ${similarity}: ${groups.length} topics, purity ${(pure / Math.max(1, members)).toFixed(3)}, labelled items in a topic ${(members / labelled).toFixed(3)}${mark}`)
}
