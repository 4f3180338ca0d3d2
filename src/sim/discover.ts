import type { RunContext } from './context.js'
import { bounded, pool } from './context.js'
import type { Lookup } from './plan.js'

// Discovery as a user does it: "who here knows about X" (topic provider records), then the chosen
// peer's signed profile. A lookup succeeds when a live node that announced the topic is found and
// every provider returned did announce it; the profile lookup when the target's own profile comes back.

/**
 * How many people a topic lookup asks for, as someone asking "who here knows about X?" wants a
 * handful of names rather than a census. The lookup stops once that many turned up, so it ends at
 * the first peers holding the topic's provider records instead of walking on to every one of them.
 */
const TOPIC_RESULTS = 5

export async function runLookups (ctx: RunContext, lookups: readonly Lookup[], phase: string, churn: boolean): Promise<void> {
  await pool(lookups, ctx.concurrency, async (lookup) => {
    await topicLookup(ctx, lookup, phase, churn)
    await profileLookup(ctx, lookup, phase, churn)
  }, { ctx, phase })
}

async function topicLookup (ctx: RunContext, lookup: Lookup, phase: string, churn: boolean): Promise<void> {
  const net = ctx.cluster.nodes[lookup.from]?.me?.net
  if (net === undefined) return
  const announced = new Set(ctx.cluster.nodes.filter(n => n.persona.topics.includes(lookup.topic)).map(n => n.peerId))
  const live = new Set(ctx.cluster.live.filter(n => announced.has(n.peerId) && n.index !== lookup.from).map(n => n.peerId))
  if (live.size === 0) return
  const start = performance.now()
  let found: string[] = []
  try {
    found = await bounded(ctx.metrics, 'topic lookup', ctx.timeoutMs, async (signal) => await net.presence.findTopic(lookup.topic, { limit: TOPIC_RESULTS, signal }))
  } catch {
    found = []
  }
  const ms = performance.now() - start
  const ok = found.some(p => live.has(p)) && found.every(p => announced.has(p))
  ctx.metrics.lookup({ phase, kind: 'topic', ok, ms, churn })
}

async function profileLookup (ctx: RunContext, lookup: Lookup, phase: string, churn: boolean): Promise<void> {
  const net = ctx.cluster.nodes[lookup.from]?.me?.net
  const target = ctx.cluster.nodes[lookup.target]
  if (net === undefined || target?.me?.net === undefined) return
  const start = performance.now()
  let ok = false
  try {
    const profile = await bounded(ctx.metrics, 'profile lookup', ctx.timeoutMs, async (signal) => await net.presence.lookup(target.peerId, signal))
    ctx.leaks.scan(lookup.from, 'DHT profile record', profile)
    ok = profile?.profile.peerId === target.peerId
  } catch {
    ok = false
  }
  ctx.metrics.lookup({ phase, kind: 'profile', ok, ms: performance.now() - start, churn })
}
