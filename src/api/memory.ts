import { z } from 'zod'
import { FACT_CATEGORIES } from '../memory/facts/types.js'
import { VISIBILITIES } from '../scope.js'
import { defineOp } from './op.js'
import { BioResult, FactResult, IngestResult, MemoryItemResult, RecallHitResult, Visibility } from './schemas.js'

export const ingestOp = defineOp({
  name: 'ingest',
  summary: 'ingest files or folders: ChatGPT, WhatsApp, Telegram, e-mail, calendar, PDF, notes, text (format found by content); a report per file',
  params: z.object({
    paths: z.array(z.string().min(1)).min(1),
    /** Embed new items before returning (otherwise later, by `embed`). */
    embed: z.boolean().default(true),
    /** Fail (writing nothing) if any file would be skipped. */
    strict: z.boolean().default(false)
  }),
  result: IngestResult,
  run: async (me, p, ctx) => await me.memory.ingest(p.paths, {
    embed: p.embed,
    strict: p.strict,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress })
  })
})

export const rememberOp = defineOp({
  name: 'remember',
  summary: 'add one text to memory',
  params: z.object({
    text: z.string().min(1).max(20_000),
    source: z.string().max(300).optional(),
    time: z.iso.datetime({ offset: true }).optional(),
    speaker: z.string().max(100).optional(),
    visibility: z.enum(VISIBILITIES).optional()
  }),
  result: z.object({ id: z.string(), added: z.boolean() }),
  run: async (me, p) => await me.memory.addText(p.text, p)
})

export const embedOp = defineOp({
  name: 'embed',
  summary: 'embed memories that have no vector yet',
  params: z.object({}),
  result: z.object({ embedded: z.number() }),
  run: async (me, _p, ctx) => ({
    embedded: await me.memory.embedPending({
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress })
    })
  })
})

export const recallOp = defineOp({
  name: 'recall',
  summary: 'hybrid search of your memories',
  params: z.object({ query: z.string().min(1).max(1000), k: z.number().int().min(1).max(200).default(10) }),
  result: z.array(RecallHitResult),
  run: async (me, p) => await me.memory.recall(p.query, { k: p.k })
})

export const memoriesOp = defineOp({
  name: 'memories',
  summary: 'list memories, oldest first',
  params: z.object({ limit: z.number().int().min(1).max(100_000).default(50), offset: z.number().int().min(0).default(0) }),
  result: z.object({ total: z.number(), items: z.array(MemoryItemResult) }),
  run: async (me, p) => ({ total: me.memory.size, items: me.memory.list({ limit: p.limit, offset: p.offset }) })
})

export const forgetOp = defineOp({
  name: 'forget',
  summary: 'delete a memory from the vault and the index',
  params: z.object({ id: z.string().min(1).max(100) }),
  result: z.object({ forgotten: z.string() }),
  run: async (me, p) => ({ forgotten: (await me.memory.forget(p.id)).id })
})

export const factsOp = defineOp({
  name: 'facts',
  summary: 'L1 facts: self-contained statements about people, with category, time and sources',
  params: z.object({
    about: z.string().min(1).max(100).optional(),
    category: z.enum(FACT_CATEGORIES).optional(),
    /** Extract every fact again from the stored items first. */
    rebuild: z.boolean().default(false)
  }),
  result: z.object({ total: z.number(), facts: z.array(FactResult), rebuilt: z.number().optional() }),
  run: async (me, p) => {
    const rebuilt = p.rebuild ? await me.memory.rebuildFacts() : undefined
    const facts = me.memory.facts({ ...(p.about === undefined ? {} : { about: p.about }), ...(p.category === undefined ? {} : { category: p.category }) })
    return { total: facts.length, facts, ...(rebuilt === undefined ? {} : { rebuilt: rebuilt.facts }) }
  }
})

export const bioOp = defineOp({
  name: 'bio',
  summary: 'the owner\'s bio, built from memory',
  params: z.object({}),
  result: BioResult,
  run: async (me) => me.memory.bio()
})

export const topicsOp = defineOp({
  name: 'topics',
  summary: 'topics (clusters of memories and the owner\'s declared topics) with counts and visibility',
  params: z.object({}),
  result: z.array(z.object({ topic: z.string(), count: z.number(), visibility: z.union([Visibility, z.literal('mixed')]), declared: z.boolean() })),
  run: async (me) => {
    const declared = new Set(me.memory.declaredTopics().map(t => t.label))
    return me.memory.topics().map(t => ({ ...t, declared: declared.has(t.topic) }))
  }
})

export const clustersOp = defineOp({
  name: 'clusters',
  summary: 'topics by meaning: memories grouped by their embeddings, each group named by a noun phrase (declare one with topic add)',
  params: z.object({ limit: z.number().int().min(1).max(100).default(20) }),
  result: z.array(z.object({ label: z.string(), count: z.number(), declared: z.boolean(), first: z.array(z.object({ id: z.string(), text: z.string() })) })),
  run: async (me, p) => {
    const declared = new Set(me.memory.declaredTopics().map(t => t.label))
    return me.memory.clusters().slice(0, p.limit).map(c => ({
      label: c.label, count: c.count, declared: declared.has(c.label),
      first: c.items.slice(0, 3).flatMap(id => { const i = me.memory.get(id); return i === undefined ? [] : [{ id, text: i.text.slice(0, 120) }] })
    }))
  }
})

const label = z.string().min(1).max(100)

/** The `topic` op's answer per action (a door narrows the union with `.parse`). */
export const TopicDeclared = z.object({ topic: z.object({ label: z.string(), about: z.string().optional(), at: z.string() }).strict(), count: z.number() }).strict()
export const TopicShown = z.object({
  topic: z.string(),
  count: z.number(),
  items: z.array(z.object({ id: z.string(), text: z.string(), visibility: Visibility, time: z.string().optional() }).strict())
}).strict()
export const TopicChanged = z.object({ changed: z.number() }).strict()

export const topicOp = defineOp({
  name: 'topic',
  summary: 'declare, show, rename, merge or remove a topic (a declared topic selects memories by meaning)',
  params: z.discriminatedUnion('action', [
    z.object({ action: z.literal('add'), label, about: z.string().max(500).optional() }),
    z.object({ action: z.literal('show'), label, limit: z.number().int().min(1).max(1000).default(20) }),
    z.object({ action: z.literal('rename'), label, to: label }),
    z.object({ action: z.literal('merge'), from: z.array(label).min(1).max(50), into: label }),
    z.object({ action: z.literal('remove'), label })
  ]),
  /** add: the declared topic and how many memories it selects; show: its items; the rest: what changed. */
  result: z.union([TopicDeclared, TopicShown, TopicChanged]),
  run: async (me, p) => {
    const m = me.memory
    switch (p.action) {
      case 'add': return await m.declareTopic(p.label, p.about)
      case 'show': { const items = m.topicItems(p.label); return { topic: p.label, count: items.length, items: items.slice(0, p.limit).map(i => ({ id: i.id, text: i.text, visibility: i.visibility, ...(i.time === undefined ? {} : { time: i.time }) })) } }
      case 'rename': return await m.renameTopic(p.label, p.to)
      case 'merge': return await m.mergeTopics(p.from, p.into)
      case 'remove': return await m.removeTopic(p.label)
    }
  }
})

export const visibilityOp = defineOp({
  name: 'visibility',
  summary: 'set the visibility of a memory or of a whole topic',
  params: z.object({
    target: z.string().min(1).max(200), visibility: z.enum(VISIBILITIES), topic: z.boolean().default(false),
    /** Apply a bulk change (more than 10 items or 10% of memory); without it such a change is only previewed. */
    yes: z.boolean().default(false)
  }),
  result: z.object({
    changed: z.number(),
    applied: z.boolean(),
    preview: z.object({ count: z.number(), of: z.number(), first: z.array(z.object({ id: z.string(), text: z.string() })) })
  }),
  run: async (me, p) => await me.memory.setVisibility(p.target, p.visibility, { topic: p.topic, yes: p.yes })
})

export const memoryOps = [ingestOp, rememberOp, embedOp, recallOp, memoriesOp, forgetOp, factsOp, bioOp, topicsOp, clustersOp, topicOp, visibilityOp] as const
