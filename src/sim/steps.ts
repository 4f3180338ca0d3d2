import { call, pool, type PairState, type RunContext } from './context.js'
import { approveAsk, pendingAsks, revokeGrantTo } from './owner.js'
import type { Pair, PlannedStep } from './plan.js'

// The owner-facing steps of a scenario: introductions with grants, consent, in- and out-of-scope
// queries, conversations and revocations, each through the same ops the CLI calls.

type Step<K extends PlannedStep['do']> = Extract<PlannedStep, { do: K }>


function statusOf (status: string): PairState['status'] {
  return status === 'granted' || status === 'pending' || status === 'refused' || status === 'counter' ? status : 'failed'
}

function nodeOf (ctx: RunContext, index: number): { peerId: string } {
  const node = ctx.cluster.nodes[index]
  if (node === undefined) throw new Error(`no node ${index}`)
  return node
}

export async function introduce (ctx: RunContext, step: Step<'introduce'>): Promise<void> {
  await pool(step.pairs, ctx.concurrency, async (pair, i) => {
    const index = step.first + i
    const out = await call(ctx, pair.asker, 'introduce', {
      peer: nodeOf(ctx, pair.target).peerId,
      actions: ['memory:read', 'converse'],
      visibility: ['shareable'],
      topics: [pair.topic],
      purpose: `simulation: talk about ${pair.topic}`,
      durationSec: 3600
    }, '/secondme/intro/1.0.0')
    if (!out.ok) {
      ctx.pairs[index] = { status: 'failed', code: out.code }
      return
    }
    const d = out.value
    ctx.pairs[index] = { status: statusOf(d.status), ...(d.status === 'pending' ? { ticket: d.ticket } : {}), ...(d.status === 'refused' ? { code: d.code } : {}) }
  }, { ctx, phase: 'introduce' })
}

/** Owners approve or deny their pending asks as planned; askers poll for the answer. */
export async function grant (ctx: RunContext, step: Step<'grant'>): Promise<void> {
  await pool(step.decisions, ctx.concurrency, async ({ pair: index, approve }) => {
    const pair = ctx.plan.pairs[index]
    const state = ctx.pairs[index]
    if (pair === undefined || state?.status !== 'pending' || state.ticket === undefined) {
      if (pair !== undefined && state !== undefined) ctx.metrics.check('introductions granted', state.status === 'granted' || !approve, `pair ${index}: ${state.status} ${state.code ?? ''}`)
      return
    }
    const target = ctx.cluster.nodes[pair.target]?.me
    if (target === undefined) return
    const ask = (await pendingAsks(target)).find(a => a.peer === nodeOf(ctx, pair.asker).peerId)
    if (ask !== undefined) await approveAsk(target, ask.id, approve)
    const out = await call(ctx, pair.asker, 'introduce', { peer: nodeOf(ctx, pair.target).peerId, ticket: state.ticket }, '/secondme/intro/1.0.0')
    const status = out.ok ? statusOf(out.value.status) : 'failed'
    ctx.pairs[index] = { status, ...(out.ok ? {} : { code: out.code }) }
    ctx.metrics.check('introductions granted', approve ? status === 'granted' : status === 'refused', `pair ${index}: ${status}`)
  }, { ctx, phase: 'grant' })
}

/** Ids the target may disclose to this pair: shareable or public, on the granted topic. */
function inScopeIds (ctx: RunContext, pair: Pair): Set<string> {
  const node = ctx.cluster.nodes[pair.target]
  const ids = new Set<string>()
  for (const [id, seed] of node?.planted ?? []) {
    if (seed.visibility === 'shareable' && seed.topics.includes(pair.topic)) ids.add(id)
  }
  return ids
}

export async function query (ctx: RunContext, step: Step<'query'>): Promise<void> {
  const held = (index: number): boolean => ctx.pairs[index]?.status === 'granted'
  const work = [...step.inScope.map(q => ({ ...q, probe: false })), ...step.outOfScope.map(q => ({ ...q, probe: true }))].filter(q => held(q.pair))
  await pool(work, ctx.concurrency, async ({ pair: index, query: text, probe }) => {
    const pair = ctx.plan.pairs[index]
    if (pair === undefined) return
    const allowed = inScopeIds(ctx, pair)
    const out = await call(ctx, pair.asker, 'query', { peer: nodeOf(ctx, pair.target).peerId, text, k: 5 }, '/secondme/memory/1.0.0')
    if (!out.ok) {
      ctx.metrics.check(probe ? 'out-of-scope refused' : 'in-scope answers', probe, `pair ${index}: ${out.code}`)
      return
    }
    const outside = out.value.items.filter(i => !allowed.has(i.id))
    if (probe) ctx.metrics.check('out-of-scope refused', outside.length === 0, `pair ${index}: ${outside.length} out-of-scope items`)
    // A target with nothing shareable on the topic rightly answers with nothing.
    else ctx.metrics.check('in-scope answers', (out.value.items.length > 0 || allowed.size === 0) && outside.length === 0, `pair ${index}: ${out.value.items.length} items, ${outside.length} out of scope`)
  }, { ctx, phase: 'query' })
}

export async function converse (ctx: RunContext, step: Step<'converse'>): Promise<void> {
  const live = step.conversations.filter(c => ctx.pairs[c.pair]?.status === 'granted')
  await pool(live, ctx.concurrency, async ({ pair: index, turns }) => {
    const pair = ctx.plan.pairs[index]
    if (pair === undefined) return
    const allowed = inScopeIds(ctx, pair)
    const conversation = `sim${String(index).padStart(6, '0')}`
    for (const [turn, message] of turns.entries()) {
      const out = await call(ctx, pair.asker, 'converse', { peer: nodeOf(ctx, pair.target).peerId, message, conversation, turn }, '/secondme/converse/1.0.0')
      const outside = out.ok ? out.value.cited.filter(id => !allowed.has(id)) : []
      ctx.metrics.check('conversations answered', out.ok && out.value.text.length > 0 && outside.length === 0, `pair ${index} turn ${turn}: ${out.ok ? `${outside.length} out-of-scope citations` : out.code}`)
    }
  }, { ctx, phase: 'converse' })
}

/** Owners revoke the planned grants; the holder's next query must be refused. */
export async function revoke (ctx: RunContext, step: Step<'revoke'>): Promise<void> {
  const live = step.pairs.filter(i => ctx.pairs[i]?.status === 'granted')
  await pool(live, ctx.concurrency, async (index) => {
    const pair = ctx.plan.pairs[index]
    const target = pair === undefined ? undefined : ctx.cluster.nodes[pair.target]?.me
    if (pair === undefined || target === undefined) return
    await revokeGrantTo(target, nodeOf(ctx, pair.asker).peerId)
    ctx.pairs[index] = { status: 'refused', code: 'E_GRANT_REVOKED', revoked: true }
    const out = await call(ctx, pair.asker, 'query', { peer: nodeOf(ctx, pair.target).peerId, text: pair.topic, k: 5 }, '/secondme/memory/1.0.0')
    ctx.metrics.check('revoked refused', !out.ok && out.code === 'E_GRANT_REVOKED', `pair ${index}: ${out.ok ? `${out.value.items.length} items` : out.code}`)
  }, { ctx, phase: 'revoke' })
}
