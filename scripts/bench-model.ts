// npm run bench:model — the ask pipeline vs raw node-llama-cpp generation of the same prompt and
// model (tokens/s ratio), retrieval and prompt-assembly time, and autofill accuracy (extractive, then
// with the model choosing among memory's candidates) on LoCoMo-built forms and examples/forms
// (field-level precision/recall, invented values).
// Env: SECONDME_BENCH_MODEL (GGUF, default ../shared/models/stories260K.gguf), BENCH_THREADS (1),
// BENCH_QUESTIONS (8), BENCH_MAX_TOKENS (64); BENCH_SKIP_ASK=1, BENCH_SKIP_AUTOFILL=1 and
// BENCH_SKIP_MODEL_AUTOFILL=1 leave out a part.
import '../src/polyfill.js'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { LlamaChatSession } from 'node-llama-cpp'
import { ask, responderOf } from '../src/agent/ask.js'
import { autofill, type AutofillResult } from '../src/agent/autofill/index.js'
import { factsFor, recallFor, turnBeforeFor } from '../src/agent/memory-access.js'
import { readConfig, writeConfig } from '../src/config.js'
import { llamaRuntime } from '../src/model/llama-runtime.js'
import type { Llm } from '../src/model/llm.js'
import { SecondMe } from '../src/node.js'
import { OWNER_SCOPE } from '../src/scope.js'
import { FIXTURE_NAMES, HELDOUT_NAMES, loadFixture, scoreForm } from '../test/fixtures/autofill/score.js'

const ROOT = resolve(import.meta.dirname, '..')
const MODEL = process.env.SECONDME_BENCH_MODEL ?? resolve(ROOT, '..', 'shared', 'models', 'stories260K.gguf')
const LOCOMO = resolve(ROOT, '..', 'shared', 'data', 'locomo', 'dev.json')
const THREADS = Number(process.env.BENCH_THREADS ?? 1)
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 8)
const MAX_TOKENS = Number(process.env.BENCH_MAX_TOKENS ?? 64)
const KDF = { N: 2 ** 10, r: 8, p: 1 }

interface Sample { sample_id: string, conversation: { speaker_a: string }, qa: Array<{ question: string, category: number }> }

async function openHome (dir: string, sample: Sample, owner = sample.conversation.speaker_a): Promise<SecondMe> {
  const first = await SecondMe.init({ home: dir, passphrase: 'pw', kdf: KDF, displayName: owner, memory: { embedder: null } })
  await first.close()
  const config = await readConfig(join(dir, 'config.json'))
  await writeConfig(join(dir, 'config.json'), { ...config, model: { threads: THREADS, contextSize: 2048, gpu: false, maxTokens: MAX_TOKENS } })
  const me = await SecondMe.open({ home: dir, passphrase: 'pw', memory: { embedder: null } })
  const file = join(dir, `${sample.sample_id}.json`)
  await writeFile(file, JSON.stringify([sample]))
  await me.memory.ingest([file], { embed: false })
  return me
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] ?? 0)
}

/** The same prompt through node-llama-cpp directly: own context, own session, same settings. */
async function rawGeneration (system: string, question: string): Promise<{ tokens: number, ms: number }> {
  const llama = await llamaRuntime(false)
  const model = await llama.loadModel({ modelPath: MODEL })
  const context = await model.createContext({ contextSize: 2048, threads: THREADS })
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: system })
    let tokens = 0
    const t0 = performance.now()
    await session.prompt(question, { maxTokens: MAX_TOKENS, temperature: 0, onToken: (t) => { tokens += t.length } })
    return { tokens, ms: performance.now() - t0 }
  } finally {
    await context.dispose()
    await model.dispose()
  }
}

async function benchAsk (me: SecondMe, sample: Sample): Promise<void> {
  const model = await me.models.registry.add(MODEL)
  await me.models.registry.use(model.id)
  const questions = sample.qa.filter(q => q.category === 4).slice(0, QUESTIONS).map(q => q.question)
  await ask(me, questions[0] ?? 'hello') // warm-up: model load and first context
  const rows: Array<{ ours: number, raw: number, recall: number, assemble: number }> = []
  for (const question of questions) {
    const r = await ask(me, question)
    const memories = await recallFor(me, question, me.models.settings.recallK, OWNER_SCOPE)
    const a0 = performance.now()
    // The very prompt the pipeline gave the model (memories fitted to the context, grounded evidence).
    const prompt = await responderOf(me).promptFor({ question, memories, audience: 'owner' })
    const assemble = performance.now() - a0
    if (prompt === undefined) throw new Error('ask did not use the model')
    const raw = await rawGeneration(prompt.system, question)
    if (r.usage === undefined) throw new Error('ask did not use the model')
    // Ours: tokens over the whole answer step (model selection, prompt assembly, generation).
    rows.push({ ours: r.usage.tokens / (r.timings.answerMs / 1000), raw: raw.tokens / (raw.ms / 1000), recall: r.timings.recallMs, assemble })
  }
  const ours = median(rows.map(r => r.ours))
  const raw = median(rows.map(r => r.raw))
  console.log(`ask pipeline vs raw node-llama-cpp (${questions.length} questions, ${THREADS} thread(s), maxTokens ${MAX_TOKENS}, model ${model.name} ${model.id})`)
  console.log(`  tokens/s  ours p50 ${ours.toFixed(1)}  raw p50 ${raw.toFixed(1)}  ratio ${(ours / raw).toFixed(3)}  (target >= 0.9)`)
  console.log(`  retrieval p50 ${median(rows.map(r => r.recall)).toFixed(2)} ms  prompt assembly p50 ${median(rows.map(r => r.assemble)).toFixed(3)} ms`)
  await me.models.registry.unuse()
}

/** A node holding the fixture's memory: a LoCoMo conversation, or a folder such as examples/memory. */
async function fixtureHome (dir: string, source: string, owner: string, samples: Sample[]): Promise<SecondMe | undefined> {
  if (source.startsWith('conv-')) {
    const sample = samples.find(s => s.sample_id === source)
    return sample === undefined ? undefined : await openHome(dir, sample, owner)
  }
  const first = await SecondMe.init({ home: dir, passphrase: 'pw', kdf: KDF, displayName: owner, memory: { embedder: null } })
  await first.close()
  const config = await readConfig(join(dir, 'config.json'))
  await writeConfig(join(dir, 'config.json'), { ...config, model: { threads: THREADS, contextSize: 2048, gpu: false, maxTokens: MAX_TOKENS } })
  const me = await SecondMe.open({ home: dir, passphrase: 'pw', memory: { embedder: null } })
  await me.memory.ingest([resolve(ROOT, source)], { embed: false })
  return me
}

/** Every fixture form filled extractively and (with the bench model) through the grammar; field-level precision / recall. */
async function benchAutofill (samples: Sample[], withModel: boolean, names: readonly string[], set: string): Promise<void> {
  const total = { filled: 0, correct: 0, answerable: 0, invented: 0 }
  console.log(`autofill ${set} (${withModel ? `model ${MODEL.split('/').at(-1) ?? ''}, values chosen among memory's candidates` : 'extractive'}) on ${names.length} forms: field-level precision / recall`)
  for (const name of names) {
    const fixture = await loadFixture(name)
    const dir = await mkdtemp(join(tmpdir(), 'bench-autofill-'))
    const me = await fixtureHome(dir, fixture.sample, fixture.owner, samples)
    if (me === undefined) continue
    try {
      if (withModel) await me.models.registry.use((await me.models.registry.add(MODEL)).id)
      const fill = async (llm?: Llm): Promise<AutofillResult> => await autofill(fixture.schema, '', { recall: async (q, k) => await recallFor(me, q, k, OWNER_SCOPE), turnBefore: turnBeforeFor(me, OWNER_SCOPE), ownerName: fixture.owner, facts: factsFor(me, fixture.owner, OWNER_SCOPE), ...(llm === undefined ? {} : { llm }) })
      const r = withModel ? await me.models.use('owner', fill) : await fill()
      const s = scoreForm(r.value, fixture.expected)
      for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += s[k]
      console.log(`  ${name}: filled ${s.filled}/${Object.keys(fixture.expected).length}  correct ${s.correct}/${s.answerable}  invented ${s.invented}  cite a fact ${r.filled.filter(f => f.fact !== undefined).length}  valid ${r.valid}  mode ${r.mode}`)
    } finally {
      await me.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  const precision = total.filled === 0 ? 0 : total.correct / total.filled
  const recall = total.answerable === 0 ? 0 : total.correct / total.answerable
  console.log(`  total: precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  invented ${total.invented}  (filled ${total.filled}, correct ${total.correct}, answerable ${total.answerable})`)
}

const samples = JSON.parse(await readFile(LOCOMO, 'utf8')) as Sample[]
const first = samples[0]
if (first === undefined) throw new Error('no LoCoMo samples')
const dir = await mkdtemp(join(tmpdir(), 'bench-model-'))
const me = await openHome(dir, first)
try {
  if (process.env.BENCH_SKIP_ASK !== '1') await benchAsk(me, first)
} finally {
  await me.close()
  await rm(dir, { recursive: true, force: true })
}
for (const [names, set] of process.env.BENCH_SKIP_AUTOFILL === '1' ? [] : [[FIXTURE_NAMES, 'dev'], [HELDOUT_NAMES, 'held-out (speaker B)']] as const) {
  await benchAutofill(samples, false, names, set)
  if (process.env.BENCH_SKIP_MODEL_AUTOFILL !== '1') await benchAutofill(samples, true, names, set)
}
