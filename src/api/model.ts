import { z } from 'zod'
import { ask } from '../agent/ask.js'
import { autofill, type AutofillResult as Filled } from '../agent/autofill/index.js'
import { factsFor, recallFor, turnBeforeFor } from '../agent/memory-access.js'
import { train, writeTrainingData } from '../agent/train/index.js'
import { VISIBILITIES, OWNER_SCOPE } from '../scope.js'
import { ActiveSchema, ModelRecordSchema } from '../model/registry.js'
import type { Llm } from '../model/llm.js'
import { defineOp } from './op.js'
import { JsonObject, Visibility } from './schemas.js'

const Id = z.string().min(1).max(64)
const Models = z.object({ active: ActiveSchema, models: z.array(ModelRecordSchema) })
const AskResult = z.object({
  text: z.string(),
  cited: z.array(z.string()),
  mode: z.enum(['model', 'extractive']),
  /** The short answer ("7 May 2023"), without citations. */
  answer: z.string().optional(),
  /** The memory sentences the answer rests on, best first. */
  evidence: z.array(z.object({ id: z.string(), sentence: z.string(), time: z.string().optional() })).optional(),
  usage: z.object({ tokens: z.number(), ms: z.number() }).optional(),
  question: z.string(),
  /** The model that answered ('none' for extractive). */
  model: z.string(),
  memories: z.array(z.object({ id: z.string(), text: z.string(), time: z.string().optional(), speaker: z.string().optional(), replyTo: z.string().optional(), extra: z.string().optional(), score: z.number().optional() })),
  timings: z.object({ recallMs: z.number(), answerMs: z.number() })
})
const AutofillResult = z.object({
  value: JsonObject,
  mode: z.enum(['model', 'extractive']),
  filled: z.array(z.object({ field: z.string(), value: z.union([z.string(), z.number()]), source: z.string(), fact: z.string().optional() })),
  empty: z.array(z.string()),
  valid: z.boolean(),
  complete: z.boolean(),
  errors: z.array(z.string())
})
const TrainDataResult = z.object({
  dir: z.string(),
  files: z.object({ sft: z.string(), dpo: z.string(), manifest: z.string() }),
  counts: z.object({ sft: z.number(), dpo: z.number(), memories: z.number(), facts: z.number() }),
  /** Share of SFT prompts that are distinct. */
  distinctPrompts: z.number(),
  cited: z.object({ checked: z.number(), missing: z.number() }),
  failures: z.record(z.string(), z.number()),
  visibility: z.array(Visibility),
  containsPrivate: z.boolean()
})
const TrainResult = z.object({
  model: ModelRecordSchema,
  base: z.string(),
  initialLoss: z.number(),
  losses: z.array(z.number()),
  examples: z.number(),
  containsPrivate: z.boolean()
})

export const modelAddOp = defineOp({
  name: 'model.add',
  summary: 'register a local GGUF model (checked, sha256 recorded; referenced, or copied with copy: true)',
  params: z.object({ file: z.string().min(1), copy: z.boolean().default(false) }),
  result: ModelRecordSchema,
  run: async (me, p) => await me.models.registry.add(p.file, { copy: p.copy, expect: 'model' })
})

export const modelListOp = defineOp({
  name: 'model.list',
  summary: 'registered models and adapters, and which are in use',
  params: z.object({}),
  result: Models,
  run: async (me) => ({ active: await me.models.registry.active(), models: await me.models.registry.list() })
})

export const modelUseOp = defineOp({
  name: 'model.use',
  summary: 'answer with this model (or enable this adapter on the active model)',
  params: z.object({ id: Id }),
  result: ActiveSchema,
  run: async (me, p) => await me.models.registry.use(p.id)
})

export const modelUnuseOp = defineOp({
  name: 'model.unuse',
  summary: 'stop using the active model (or one adapter); answers become extractive',
  params: z.object({ id: Id.optional() }),
  result: ActiveSchema,
  run: async (me, p) => await me.models.registry.unuse(p.id)
})

export const modelRemoveOp = defineOp({
  name: 'model.remove',
  summary: 'forget a model or adapter (a copy inside the home is deleted; a referenced file is left alone)',
  params: z.object({ id: Id }),
  result: ModelRecordSchema,
  run: async (me, p) => await me.models.registry.remove(p.id)
})

export const adapterAddOp = defineOp({
  name: 'model.adapter.add',
  summary: 'register a LoRA adapter (GGUF) and enable it on the active model',
  params: z.object({
    file: z.string().min(1),
    scale: z.number().min(0).max(16).default(1),
    copy: z.boolean().default(false),
    /** Trained on private data: the adapter then answers the owner only, never peers. */
    private: z.boolean().default(false)
  }),
  result: z.object({ adapter: ModelRecordSchema, active: ActiveSchema }),
  run: async (me, p) => {
    const record = await me.models.registry.add(p.file, { copy: p.copy, expect: 'adapter', scale: p.scale, ...(p.private ? { trainedOn: ['private' as const] } : {}) })
    return { adapter: record, active: await me.models.registry.use(record.id) }
  }
})

export const askOp = defineOp({
  name: 'ask',
  summary: 'answer a question about yourself from memory, in your voice (extractive without a model)',
  params: z.object({
    question: z.string().min(1).max(4000),
    k: z.number().int().min(1).max(50).optional(),
    /** Earlier turns of this chat, oldest first: a follow-up ("and where does she live?") is recalled with them. */
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(4000) })).max(50).optional()
  }),
  result: AskResult,
  run: async (me, p, ctx) => await ask(me, p.question, {
    ...(p.k === undefined ? {} : { k: p.k }),
    ...(p.history === undefined ? {} : { history: p.history.map(t => ({ from: t.role === 'user' ? 'peer' as const : 'self' as const, text: t.text })) }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(ctx.onText === undefined ? {} : { onText: ctx.onText })
  })
})

export const autofillOp = defineOp({
  name: 'autofill',
  summary: 'fill a JSON Schema form from memory; unsupported fields stay empty and are listed',
  params: z.object({
    schema: z.unknown(),
    context: z.string().max(4000).default(''),
    /** What the filled form may draw on; a form sent to others may want ['shareable', 'public']. */
    visibility: z.array(z.enum(VISIBILITIES)).min(1).default([...OWNER_SCOPE.visibility]),
    extractive: z.boolean().default(false)
  }),
  result: AutofillResult,
  run: async (me, p, ctx) => {
    const fill = async (llm?: Llm): Promise<Filled> => await autofill(p.schema, p.context, {
      recall: async (query, k) => await recallFor(me, query, k, { visibility: p.visibility }),
      turnBefore: turnBeforeFor(me, { visibility: p.visibility }),
      ...(llm?.capabilities.structured === true ? { llm } : {}),
      ...(me.config.displayName === undefined ? {} : { ownerName: me.config.displayName, facts: factsFor(me, me.config.displayName, { visibility: p.visibility }) }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal })
    })
    return p.extractive ? await fill() : await me.models.use(p.visibility.includes('private') ? 'owner' : 'peer', fill)
  }
})

const Visibilities = z.array(z.enum(VISIBILITIES)).min(1)

export const trainDataOp = defineOp({
  name: 'train.data',
  summary: 'synthesise SFT and DPO training data (JSONL) from memories of the given visibilities',
  params: z.object({ out: z.string().min(1).optional(), visibility: Visibilities.default([...OWNER_SCOPE.visibility]) }),
  result: TrainDataResult,
  run: async (me, p) => await writeTrainingData(me, { visibility: p.visibility, ...(p.out === undefined ? {} : { out: p.out }) })
})

export const trainOp = defineOp({
  name: 'train',
  summary: 'fine-tune an F32 base model on the synthesised data with llama.cpp\'s finetune tool (local, offline)',
  params: z.object({
    base: Id.optional(),
    visibility: Visibilities.default([...OWNER_SCOPE.visibility]),
    epochs: z.number().int().min(1).max(100).default(3),
    contextSize: z.number().int().min(32).max(8192).optional(),
    learningRate: z.number().positive().max(1).optional()
  }),
  result: TrainResult,
  run: async (me, p, ctx) => await train(me, {
    visibility: p.visibility,
    epochs: p.epochs,
    ...(p.base === undefined ? {} : { base: p.base }),
    ...(p.contextSize === undefined ? {} : { contextSize: p.contextSize }),
    ...(p.learningRate === undefined ? {} : { learningRate: p.learningRate }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress })
  })
})

export const modelOps = [modelAddOp, modelListOp, modelUseOp, modelUnuseOp, modelRemoveOp, adapterAddOp, askOp, autofillOp, trainDataOp, trainOp] as const
