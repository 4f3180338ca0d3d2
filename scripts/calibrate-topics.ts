// Calibrates declared-topic selection (src/memory/declared.ts TOPIC_SELECTION) on the hand-labelled
// fixture test/fixtures/topics.json: embeds every item and each topic (label + about) with the
// node's embedder, then prints precision / recall of the selection rule over a grid of thresholds.
//
// usage: tsx scripts/calibrate-topics.ts
import { readFileSync } from 'node:fs'
import { terms } from '../src/util/text.js'
import { selects, topicTerms, topicText, TOPIC_SELECTION, type DeclaredTopic } from '../src/memory/declared.js'
import { embeddingText } from '../src/memory/items.js'
import { UseEmbedder } from '../src/model/use-embedder.js'

interface Fixture { topics: DeclaredTopic[], items: Array<{ id: string, speaker: string, text: string, topics: string[] }> }
const fx = JSON.parse(readFileSync('test/fixtures/topics.json', 'utf8')) as Fixture
const embedder = new UseEmbedder()
const itemVectors = await embedder.embed(fx.items.map(i => embeddingText(i)))
const topicVectors = await embedder.embed(fx.topics.map(topicText))
await embedder.close()
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0)
const pairs = fx.topics.flatMap((t, ti) => fx.items.map((item, ii) => ({
  words: new Set(terms(`${item.speaker} ${item.text}`)), topic: topicTerms(t),
  cosine: dot(itemVectors[ii] ?? new Float32Array(), topicVectors[ti] ?? new Float32Array()), relevant: item.topics.includes(t.label)
})))
const relevant = pairs.filter(p => p.relevant).length
for (const cosine of [0.45, 0.5, 0.55]) {
  for (const lexicalCosine of [0.2, 0.25, 0.28, 0.3, 0.35]) {
    const chosen = pairs.filter(p => selects(p.words, p.topic, p.cosine, { cosine, lexicalCosine }))
    const hits = chosen.filter(p => p.relevant).length
    const mark = cosine === TOPIC_SELECTION.cosine && lexicalCosine === TOPIC_SELECTION.lexicalCosine ? '  <- current' : ''
    console.log(`cosine ${cosine} lexical+cosine ${lexicalCosine}: precision ${(hits / chosen.length).toFixed(3)} recall ${(hits / relevant).toFixed(3)}${mark}`)
  }
}
const lexical = pairs.filter(p => selects(p.words, p.topic, undefined))
console.log(`words alone (no embedder): precision ${(lexical.filter(p => p.relevant).length / lexical.length).toFixed(3)} recall ${(lexical.filter(p => p.relevant).length / relevant).toFixed(3)}`)
console.log(`${fx.items.length} items, ${fx.topics.length} topics, ${relevant} labelled memberships`)
