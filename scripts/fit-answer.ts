// Fits the evidence-selection weights of src/agent/answer/select.ts on LoCoMo dev: for every question of
// categories 1-4, every sentence of its recalled memories (from `bench:qa -- --dump`) is a candidate
// whose answer phrase is scored with the dataset's F1 (the paper's Porter-stemmed token F1, as in
// ../shared/bench); coordinate ascent picks the weights under which the top candidate scores best on
// average. Prints the weights to paste into WEIGHTS and the mean F1 before and after.
//
// usage: npm run bench:qa -- --no-embed --dump dump.jsonl && tsx scripts/fit-answer.ts --dump dump.jsonl
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { parseQuestion } from '../src/agent/answer/question.js'
import { candidates, FEATURES, WEIGHTS, type Feature, type Weights } from '../src/agent/answer/select.js'
import { phraseOf } from '../src/agent/answer/index.js'
import { GATE_FEATURES, GATE_THRESHOLD, GATE_WEIGHTS, gateFeatures, unanswerable, type GateFeature, type GateWeights } from '../src/agent/answer/gate.js'
import type { AgentMemory } from '../src/agent/types.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    dump: { type: 'string', default: 'dump.jsonl' },
    porter: { type: 'string', default: '../shared/bench/porter.mjs' },
    rounds: { type: 'string', default: '4' },
    // Refit only the gate, on the current selection weights (the selection fit takes minutes).
    'gate-only': { type: 'boolean', default: false }
  }
})

interface Dumped { sample_id: string, qa: number, question: string, memories: AgentMemory[] }
interface Gold { question: string, answer?: unknown, category: number }
interface Row { sample: string, features: Array<Record<Feature, number>>, f1: number[], category: number, subject: boolean, speakerIsSubject: boolean[], support: number[] }

const { stem } = await import(pathToFileURL(resolve(values.porter)).href) as { stem: (w: string) => string }
const PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')

/** The scorer's normalisation and token F1 (../shared/bench/locomo-qa-score.mjs). */
function tokens (s: string): string[] {
  const clean = [...s.replaceAll(',', '').toLowerCase()].filter(ch => !PUNCT.has(ch)).join('').replace(/\b(a|an|the|and)\b/g, ' ')
  return clean.split(/\s+/).filter(Boolean).map(stem)
}
function f1 (prediction: string, gold: string): number {
  const p = tokens(prediction)
  const counts = new Map<string, number>()
  const g = tokens(gold)
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1)
  let same = 0
  for (const t of p) { const c = counts.get(t) ?? 0; if (c > 0) { same++; counts.set(t, c - 1) } }
  if (same === 0) return 0
  const precision = same / p.length
  const recall = same / g.length
  return 2 * precision * recall / (precision + recall)
}

function rowsOf (dumped: Dumped[], gold: Map<string, Gold>): Row[] {
  const rows: Row[] = []
  for (const d of dumped) {
    const g = gold.get(`${d.sample_id}#${d.qa}`)
    if (g === undefined) continue
    const speakers = new Set(d.memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker]))
    const q = parseQuestion(d.question, speakers)
    const answer = String(g.answer ?? '')
    const list = candidates(q, d.memories)
    rows.push({
      sample: d.sample_id,
      features: list.map(c => c.features),
      category: g.category,
      subject: q.people.length === 1,
      speakerIsSubject: list.map(c => c.features.subject === 1),
      support: list.map(c => c.support),
      f1: list.map(c => f1(phraseOf(q, c), answer))
    })
  }
  return rows
}

function meanF1 (rows: Row[], w: Weights): number {
  let sum = 0
  for (const r of rows) {
    if (r.category > 4) continue
    let best = -Infinity
    let bestF1 = 0
    r.features.forEach((f, i) => {
      let s = 0
      for (const k of FEATURES) s += w[k] * f[k]
      if (s > best) { best = s; bestF1 = r.f1[i] ?? 0 }
    })
    sum += bestF1
  }
  return sum / Math.max(1, rows.filter(r => r.category <= 4).length)
}

const STEPS = [-2, -1, -0.5, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.5, 1, 2]

function fit (rows: Row[]): Weights {
  const w: Weights = { ...WEIGHTS }
  let best = meanF1(rows, w)
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const k of FEATURES) {
      for (const v of STEPS) {
        const trial = { ...w, [k]: v }
        const score = meanF1(rows, trial)
        if (score > best + 1e-9) { best = score; w[k] = v }
      }
    }
    console.error(`round ${round + 1}: mean F1 of the top candidate ${best.toFixed(4)}`)
  }
  return w
}

const samples = JSON.parse(await readFile(resolve(values.data), 'utf8')) as Array<{ sample_id: string, qa: Gold[] }>
const gold = new Map(samples.flatMap(s => s.qa.map((q, i) => [`${s.sample_id}#${i}`, q] as const)))
const dumped = (await readFile(resolve(values.dump), 'utf8')).trim().split('\n').map(l => JSON.parse(l) as Dumped)
const rows = rowsOf(dumped, gold)
const answerable = rows.filter(r => r.category <= 4)
const oracle = answerable.reduce((a, r) => a + Math.max(0, ...r.f1), 0) / answerable.length
console.log(`${answerable.length} questions (categories 1-4); best candidate if chosen perfectly: mean F1 ${oracle.toFixed(4)}`)
console.log(`current weights: mean F1 of the top candidate ${meanF1(rows, WEIGHTS).toFixed(4)}`)
// Leave one conversation out: weights fitted on four conversations, judged on the fifth.
let heldSelect = 0
for (const sample of values['gate-only'] ? [] : new Set(rows.map(r => r.sample))) {
  const test = rows.filter(r => r.sample === sample)
  heldSelect += meanF1(test, fit(rows.filter(r => r.sample !== sample))) * test.filter(r => r.category <= 4).length
}
const fitted = values['gate-only'] ? WEIGHTS : fit(rows)
console.log(`fitted weights: mean F1 of the top candidate ${meanF1(rows, fitted).toFixed(4)}${values['gate-only'] ? '' : ` (leave-one-conversation-out ${(heldSelect / answerable.length).toFixed(4)})`}`)
console.log(JSON.stringify(fitted))

// The gate: with the fitted weights, each question's candidates give the gate's features; the label is
// "unanswerable" (category 5). The payoff of answering is the F1 of the answer drawn from the named
// person's best candidate; of "not mentioned", 1 on category 5 and 0 elsewhere.
interface GateRow { sample: string, x: Record<GateFeature, number>, adversarial: boolean, answerF1: number }
function gateRows (dumped: Dumped[], gold: Map<string, Gold>, w: Weights): GateRow[] {
  return dumped.flatMap(d => {
    const g = gold.get(`${d.sample_id}#${d.qa}`)
    if (g === undefined) return []
    const q = parseQuestion(d.question, new Set(d.memories.flatMap(m => m.speaker === undefined ? [] : [m.speaker])))
    const list = candidates(q, d.memories, { weights: w })
    const subject = q.people.length === 1 ? q.people[0] : undefined
    const pick = list.find(c => subject === undefined || c.speaker === subject || c.speaker === undefined)
    const answer = pick === undefined ? '' : phraseOf(q, pick)
    return [{ sample: d.sample_id, x: gateFeatures(q, list), adversarial: g.category === 5, answerF1: g.category === 5 ? 0 : f1(answer, String(g.answer ?? '')) }]
  })
}

function fitLogistic (rows: GateRow[]): GateWeights {
  const w = Object.fromEntries(GATE_FEATURES.map(k => [k, 0])) as GateWeights
  for (let epoch = 0; epoch < 400; epoch++) {
    const grad = Object.fromEntries(GATE_FEATURES.map(k => [k, 0])) as GateWeights
    for (const r of rows) {
      const err = unanswerable(r.x, w) - (r.adversarial ? 1 : 0)
      for (const k of GATE_FEATURES) grad[k] += err * r.x[k]
    }
    for (const k of GATE_FEATURES) w[k] -= 2 * (grad[k] / rows.length + 0.001 * (k === 'bias' ? 0 : w[k]))
  }
  return w
}

const payoff = (rows: GateRow[], w: GateWeights, threshold: number): number =>
  rows.reduce((a, r) => a + (unanswerable(r.x, w) > threshold ? (r.adversarial ? 1 : 0) : r.answerF1), 0)

function bestThreshold (rows: GateRow[], w: GateWeights): number {
  let best = 0.5
  for (let t = 0.1; t < 0.95; t += 0.025) if (payoff(rows, w, t) > payoff(rows, w, best)) best = t
  return best
}

const grows = gateRows(dumped, gold, fitted)
// Leave one conversation out: the gate is fitted on four conversations and judged on the fifth.
let held = 0
for (const sample of new Set(grows.map(r => r.sample))) {
  const train = grows.filter(r => r.sample !== sample)
  const w = fitLogistic(train)
  held += payoff(grows.filter(r => r.sample === sample), w, bestThreshold(train, w))
}
const gw = fitLogistic(grows)
const threshold = bestThreshold(grows, gw)
console.log(`gate on all ${grows.length} questions: mean F1 ${(payoff(grows, gw, threshold) / grows.length).toFixed(4)} (leave-one-conversation-out ${(held / grows.length).toFixed(4)}); current gate ${(payoff(grows, GATE_WEIGHTS, GATE_THRESHOLD) / grows.length).toFixed(4)}`)
console.log(`GATE_WEIGHTS ${JSON.stringify(Object.fromEntries(GATE_FEATURES.map(k => [k, Number(gw[k].toFixed(2))])))}, GATE_THRESHOLD ${threshold.toFixed(3)}`)
