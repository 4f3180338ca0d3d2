// Fits the fact extractor's sentence weights (logistic regression) on annotated conversations and
// prints, per threshold, coverage / precision / facts per turn, with leave-one-conversation-out
// cross-validation so the numbers say how the method does on conversations it was not fitted on.
// The annotations are only used here, to fit and measure — the product never reads them.
//
// usage: tsx scripts/fit-facts.ts [--data ../shared/data/locomo/dev.json] [--gold ../shared/data/locomo/dev-facts.json] [--out facts.jsonl]
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { candidates, extractFacts, MAX_PER_TURN, THRESHOLD, WEIGHTS, type Candidate } from '../src/memory/facts/extract.js'
import { FEATURE_NAMES, dot, sigmoid } from '../src/memory/facts/features.js'
import { CLAUSE_FEATURE_NAMES, CLAUSE_THRESHOLD, clauseFeatures, clausesOf, type ClauseTuning } from '../src/memory/facts/clauses.js'
import type { FactSource } from '../src/memory/facts/types.js'
import { parseLooseDate } from '../src/memory/time.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/locomo/dev.json' },
    gold: { type: 'string', default: '../shared/data/locomo/dev-facts.json' },
    out: { type: 'string' },
    current: { type: 'boolean', default: false },
    porter: { type: 'string', default: '../shared/bench/porter.mjs' }
  }
})

// The scorer's own token F1 (LoCoMo normalisation + Porter stemmer), to measure statement quality.
const { stem } = await import(resolve(values.porter)) as { stem: (w: string) => string }
const PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
const normalize = (s: string): string[] => [...s.replaceAll(',', '').toLowerCase()].filter(ch => !PUNCT.has(ch)).join('')
  .replace(/\b(a|an|the|and)\b/g, ' ').split(/\s+/).filter(Boolean)
function tokenF1 (a: string, b: string): number {
  const p = normalize(a).map(stem); const g = normalize(b).map(stem)
  const counts = new Map<string, number>()
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1)
  let same = 0
  for (const t of p) { const c = counts.get(t) ?? 0; if (c > 0) { same++; counts.set(t, c - 1) } }
  if (same === 0) return 0
  const pr = same / p.length; const rc = same / g.length
  return 2 * pr * rc / (pr + rc)
}

interface Turn { speaker: string, text: string, dia_id: string, blip_caption?: string }
interface Sample { sample_id: string, conversation: Record<string, unknown> }
interface GoldSample { sample_id: string, facts: Array<{ speaker: string, text: string, evidence: string[] }> }

const samples = JSON.parse(readFileSync(values.data, 'utf8')) as Sample[]
const gold = JSON.parse(readFileSync(values.gold, 'utf8')) as GoldSample[]

function sources (sample: Sample): FactSource[] {
  const out: FactSource[] = []
  for (const [key, turns] of Object.entries(sample.conversation)) {
    if (!/^session_\d+$/.test(key) || !Array.isArray(turns)) continue
    const raw = sample.conversation[`${key}_date_time`]
    const time = typeof raw === 'string' ? parseLooseDate(raw) : undefined
    for (const [seq, t] of (turns as Turn[]).entries()) out.push({ id: `${sample.sample_id}#${t.dia_id}`, ref: t.dia_id, text: t.text, speaker: t.speaker, ...(t.blip_caption === undefined ? {} : { extra: t.blip_caption }), thread: key, seq, visibility: 'private', ...(time === undefined ? {} : { time }) })
  }
  return out
}

const data = samples.map(s => {
  const items = sources(s)
  const g = gold.find(x => x.sample_id === s.sample_id)?.facts ?? []
  const goldTurns = new Set(g.flatMap(f => f.evidence.map(e => `${f.speaker.toLowerCase()}|${e}`)))
  const cands = candidates(items)
  return { id: s.sample_id, items, g, goldTurns, cands, labels: cands.map(c => goldTurns.has(`${c.person.toLowerCase()}|${c.source.ref ?? ''}`) ? 1 : 0) }
})

/** Logistic regression by Newton's method (to convergence) with a small L2 penalty. */
function fit (rows: Array<{ x: number[], y: number }>, n: number = FEATURE_NAMES.length): number[] {
  const l2 = 1e-3 * rows.length
  let w = new Array<number>(n).fill(0)
  for (let iter = 0; iter < 25; iter++) {
    const grad = w.map(v => l2 * v)
    const hess = w.map((_, i) => w.map((__, j) => i === j ? l2 : 0))
    for (const { x, y } of rows) {
      const p = sigmoid(dot(w, x)); const e = p - y; const v = p * (1 - p)
      for (let i = 0; i < n; i++) {
        grad[i] = (grad[i] ?? 0) + e * (x[i] ?? 0)
        const row = hess[i] ?? []
        for (let j = 0; j < n; j++) row[j] = (row[j] ?? 0) + v * (x[i] ?? 0) * (x[j] ?? 0)
      }
    }
    const step = solve(hess, grad)
    w = w.map((v, i) => v - (step[i] ?? 0))
  }
  return w.map(v => Math.round(v * 1000) / 1000)
}

/** Solve a x = b (Gaussian elimination with partial pivoting). */
function solve (a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i] ?? 0]); const n = b.length
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r
    const tmp = m[c] ?? []; m[c] = m[p] ?? []; m[p] = tmp
    const pivot = m[c] ?? []
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const row = m[r] ?? []; const k = (row[c] ?? 0) / (pivot[c] ?? 1)
      for (let j = c; j <= n; j++) row[j] = (row[j] ?? 0) - k * (pivot[j] ?? 0)
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1))
}

function measure (part: typeof data, w: readonly number[], t: { threshold: number, maxPerTurn: number, clauses?: ClauseTuning }): { coverage: number, precision: number, f1: number, perTurn: number } {
  let goldN = 0; let covered = 0; let facts = 0; let precise = 0; let turns = 0; let f1 = 0
  for (const d of part) {
    const out = extractFacts(d.items, {}, { weights: w, ...t })
    const byTurn = new Map<string, string[]>()
    for (const f of out) for (const r of f.refs) { const k = `${f.person.toLowerCase()}|${r}`; byTurn.set(k, [...(byTurn.get(k) ?? []), f.text]) }
    for (const g of d.g) {
      goldN++
      const texts = g.evidence.flatMap(e => byTurn.get(`${g.speaker.toLowerCase()}|${e}`) ?? [])
      if (texts.length > 0) { covered++; f1 += Math.max(...texts.map(x => tokenF1(x, g.text))) }
    }
    facts += out.length
    precise += out.filter(f => f.refs.some(r => d.goldTurns.has(`${f.person.toLowerCase()}|${r}`))).length
    turns += d.items.length
  }
  return { coverage: covered / goldN, precision: precise / facts, f1: f1 / goldN, perTurn: facts / turns }
}

const rowsOf = (part: typeof data): Array<{ x: number[], y: number }> => part.flatMap(d => d.cands.map((c: Candidate, i) => ({ x: c.features, y: d.labels[i] ?? 0 })))
const f = (n: number): string => n.toFixed(3)
const weights = values.current ? [...WEIGHTS] : fit(rowsOf(data))
console.log('weights', JSON.stringify(weights))
console.log(FEATURE_NAMES.map((n, i) => `${n}=${weights[i]}`).join(' '))
for (const threshold of [0.22, 0.24, 0.26, 0.28, 0.3, 0.32]) {
  for (const maxPerTurn of [MAX_PER_TURN]) {
    const all = measure(data, weights, { threshold, maxPerTurn })
    console.log(`threshold ${threshold} max ${maxPerTurn}: coverage ${f(all.coverage)} precision ${f(all.precision)} statement-F1 ${f(all.f1)} facts/turn ${f(all.perTurn)}`)
  }
}
// Leave one conversation out: fit on the others, measure on the one left out; pooled per threshold.
const held = data.map(h => ({ h, w: fit(rowsOf(data.filter(d => d !== h))) }))
for (const threshold of [0.22, 0.24, 0.26, 0.28, 0.3, 0.32]) {
  const t = { threshold, maxPerTurn: MAX_PER_TURN }
  const parts = held.map(({ h, w }) => ({ id: h.id, m: measure([h], w, t) }))
  const avg = (k: 'coverage' | 'precision' | 'f1' | 'perTurn'): string => f(parts.reduce((s, p) => s + p.m[k], 0) / parts.length)
  console.log(`held-out mean, threshold ${threshold}: coverage ${avg('coverage')} precision ${avg('precision')} statement-F1 ${avg('f1')} facts/turn ${avg('perTurn')}`)
  if (threshold === THRESHOLD) for (const p of parts) console.log(`  held-out ${p.id}: coverage ${f(p.m.coverage)} precision ${f(p.m.precision)} statement-F1 ${f(p.m.f1)} facts/turn ${f(p.m.perTurn)}`)
}
// Which later sentences of a fact add to it: a sentence is labelled 1 when leaving it out lowers the
// fact's token F1 against the annotated fact it covers. Fitted and cross-validated like the turns.
const KEEP_ALL: ClauseTuning = { weights: [], threshold: 0 }
function clauseRows (part: typeof data, w: readonly number[]): Array<{ x: number[], y: number }> {
  const rows: Array<{ x: number[], y: number }> = []
  for (const d of part) {
    const out = extractFacts(d.items, {}, { weights: w, threshold: THRESHOLD, maxPerTurn: MAX_PER_TURN, clauses: KEEP_ALL })
    const speakers = [...new Set(d.items.flatMap(i => i.speaker === undefined ? [] : [i.speaker]))]
    for (const g of d.g) {
      const covering = out.filter(f => f.person.toLowerCase() === g.speaker.toLowerCase() && f.refs.some(r => g.evidence.includes(r)))
      const best = covering.sort((a, b) => tokenF1(b.text, g.text) - tokenF1(a.text, g.text))[0]
      const clauses = best === undefined ? [] : clausesOf(best.text)
      if (best === undefined || clauses.length < 2) continue
      const full = tokenF1(best.text, g.text)
      const other = speakers.find(x => x !== best.person)
      clauses.forEach((c, i) => rows.push({ x: clauseFeatures(c, i, clauses.length, best.person, other), y: tokenF1(clauses.filter((_, j) => j !== i).join('; '), g.text) < full ? 1 : 0 }))
    }
  }
  return rows
}
const clauseWeights = fit(clauseRows(data, weights), CLAUSE_FEATURE_NAMES.length)
console.log('clause weights', JSON.stringify(clauseWeights))
for (const threshold of [0.3, 0.35, 0.4]) {
  const t = { threshold: THRESHOLD, maxPerTurn: MAX_PER_TURN }
  const parts = held.map(({ h, w }) => ({ id: h.id, all: measure([h], w, { ...t, clauses: KEEP_ALL }), cut: measure([h], w, { ...t, clauses: { weights: fit(clauseRows(data.filter(d => d !== h), w), CLAUSE_FEATURE_NAMES.length), threshold } }) }))
  const line = parts.map(p => `${p.id} ${f(p.all.f1)} -> ${f(p.cut.f1)}`).join(', ')
  console.log(`held-out statement-F1, sentences kept at ${threshold}${threshold === CLAUSE_THRESHOLD ? ' (current)' : ''}: mean ${f(parts.reduce((a, p) => a + p.all.f1, 0) / parts.length)} -> ${f(parts.reduce((a, p) => a + p.cut.f1, 0) / parts.length)}; ${line}`)
}
const t = { threshold: THRESHOLD, maxPerTurn: MAX_PER_TURN }
if (values.out !== undefined) {
  const lines = data.flatMap(d => extractFacts(d.items, {}, { weights, ...t }).map(x => JSON.stringify({ sample_id: d.id, speaker: x.person, text: x.text, evidence: x.refs })))
  writeFileSync(values.out, lines.join('\n') + '\n')
}
