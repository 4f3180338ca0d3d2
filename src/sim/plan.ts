import type { Persona } from './personas.js'
import type { Rng } from './prng.js'
import type { Attack, Scenario, Step } from './scenario.js'

// Every decision of a run, drawn from the seed before any node starts: who looks up what, who asks
// whom, which grants are approved or revoked, which nodes churn, who attacks whom. A run then only
// executes the plan, so the same seed and scenario give the same decisions.

export interface Lookup { from: number, topic: string, target: number }
export interface Pair { asker: number, target: number, topic: string }

export type PlannedStep =
  | { do: 'discover', label: string, lookups: Lookup[] }
  | { do: 'introduce', /** Index of the first pair in `Plan.pairs`. */ first: number, pairs: Pair[] }
  | { do: 'grant', decisions: Array<{ pair: number, approve: boolean }> }
  | { do: 'query', inScope: Array<{ pair: number, query: string }>, outOfScope: Array<{ pair: number, query: string }> }
  | { do: 'converse', conversations: Array<{ pair: number, turns: string[] }> }
  | { do: 'revoke', pairs: number[] }
  | { do: 'churn', stop: number[], lookups: Lookup[], restart: boolean }
  | { do: 'adversarial', attacks: Array<{ attack: Attack, attacker: number, victim: number }> }

export interface Plan {
  seed: string
  nodes: number
  /** Every introduction pair of the run, indexed by the steps that use them. */
  pairs: Pair[]
  steps: PlannedStep[]
}

const QUESTIONS = [
  'What do you enjoy most about {topic}?',
  'How did you get into {topic}?',
  'Any {topic} plans coming up?',
  'What was your best {topic} moment?'
]

/** Build the plan of a scenario for these personas (index = node). */
export function buildPlan (scenario: Scenario, personas: readonly Persona[], rng: Rng): Plan {
  const plan: Plan = { seed: rng.seed, nodes: personas.length, pairs: [], steps: [] }
  scenario.steps.forEach((step, i) => {
    plan.steps.push(planStep(step, plan, personas, rng.fork(`step-${i}`)))
  })
  return plan
}

function planStep (step: Step, plan: Plan, personas: readonly Persona[], rng: Rng): PlannedStep {
  const all = personas.map((_p, i) => i)
  switch (step.do) {
    case 'discover':
      return { do: 'discover', label: step.label ?? 'discover', lookups: lookups(all, all, step.perNode, personas, rng) }
    case 'introduce': {
      const pairs = introductions(step.pairs, personas, rng)
      const first = plan.pairs.length
      plan.pairs.push(...pairs)
      return { do: 'introduce', first, pairs }
    }
    case 'grant':
      return { do: 'grant', decisions: plan.pairs.map((_p, pair) => ({ pair, approve: rng.chance(step.approve) })) }
    case 'query':
      return { do: 'query', ...queries(plan.pairs, personas, step.perGrant, step.outOfScope, rng) }
    case 'converse':
      return { do: 'converse', conversations: conversations(plan.pairs, step.conversations, step.turns, rng) }
    case 'revoke':
      return { do: 'revoke', pairs: rng.sample(plan.pairs.map((_p, i) => i), Math.round(plan.pairs.length * step.fraction)).sort((a, b) => a - b) }
    case 'churn': {
      const candidates = all.slice(1)
      const stop = rng.sample(candidates, Math.round(personas.length * step.percent / 100)).sort((a, b) => a - b)
      const alive = all.filter(i => !stop.includes(i))
      return { do: 'churn', stop, lookups: lookups(alive, alive, step.lookupsPerNode, personas, rng), restart: step.restart }
    }
    case 'adversarial':
      return { do: 'adversarial', attacks: step.attacks.flatMap(attack => Array.from({ length: step.each }, () => adversary(attack, personas.length, rng))) }
  }
}

/** `perNode` lookups per asking node (fractions round by chance): a topic some other target announced. */
function lookups (askers: number[], targets: number[], perNode: number, personas: readonly Persona[], rng: Rng): Lookup[] {
  const out: Lookup[] = []
  for (const from of askers) {
    const count = Math.floor(perNode) + (rng.chance(perNode % 1) ? 1 : 0)
    const others = targets.filter(t => t !== from && (personas[t]?.topics.length ?? 0) > 0)
    if (others.length === 0) continue
    for (let i = 0; i < count; i++) {
      const target = rng.pick(others)
      out.push({ from, target, topic: rng.pick(personas[target]?.topics ?? []) })
    }
  }
  return out
}

function introductions (count: number, personas: readonly Persona[], rng: Rng): Pair[] {
  const pairs: Pair[] = []
  const seen = new Set<string>()
  const n = personas.length
  for (let tries = 0; pairs.length < count && tries < count * 20 && n > 1; tries++) {
    const asker = rng.int(0, n - 1)
    const target = rng.int(0, n - 1)
    const topics = personas[target]?.topics ?? []
    if (asker === target || topics.length === 0 || seen.has(`${asker}/${target}`)) continue
    seen.add(`${asker}/${target}`)
    pairs.push({ asker, target, topic: rng.pick(topics) })
  }
  return pairs
}

/** In-scope queries quote words of a shareable memory on the granted topic; probes ask for the canary note. */
function queries (pairs: Pair[], personas: readonly Persona[], perGrant: number, outOfScope: number, rng: Rng): { inScope: Array<{ pair: number, query: string }>, outOfScope: Array<{ pair: number, query: string }> } {
  const inScope: Array<{ pair: number, query: string }> = []
  const probes: Array<{ pair: number, query: string }> = []
  pairs.forEach((p, pair) => {
    const target = personas[p.target]
    if (target === undefined) return
    const onTopic = target.memories.filter(m => m.visibility === 'shareable' && m.topics.includes(p.topic))
    for (let i = 0; i < perGrant; i++) {
      const words = onTopic.length === 0 ? [p.topic] : rng.pick(onTopic).text.split(/\s+/).filter(w => w.length > 3).slice(0, 8)
      inScope.push({ pair, query: words.join(' ').slice(0, 300) || p.topic })
    }
    const privates = target.memories.filter(m => m.visibility === 'private')
    for (let i = 0; i < outOfScope; i++) {
      const query = i === 0 || privates.length === 0
        ? `${target.name} private note bank recovery code word`
        : rng.pick(privates).text.slice(0, 300)
      probes.push({ pair, query })
    }
  })
  return { inScope, outOfScope: probes }
}

function conversations (pairs: Pair[], count: number, turns: number, rng: Rng): Array<{ pair: number, turns: string[] }> {
  if (pairs.length === 0) return []
  return rng.sample(pairs.map((_p, i) => i), count).sort((a, b) => a - b).map(pair => {
    const topic = pairs[pair]?.topic ?? 'life'
    return { pair, turns: Array.from({ length: turns }, () => rng.pick(QUESTIONS).replaceAll('{topic}', topic)) }
  })
}

function adversary (attack: Attack, n: number, rng: Rng): { attack: Attack, attacker: number, victim: number } {
  const attacker = rng.int(0, n - 1)
  let victim = rng.int(0, n - 1)
  if (n > 1 && victim === attacker) victim = (victim + 1) % n
  return { attack, attacker, victim }
}
