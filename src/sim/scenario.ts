import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { InputError } from '../errors.js'

// A scenario is a data file (JSON): the personas' shape and a list of steps run in order. The format
// is documented in scenarios/README.md; scenarios/default.json is the one `simulate` runs by default.

export const ATTACKS = [
  'forged-grant', 'expired-grant', 'wrong-audience', 'revoked-grant', 'replayed-request',
  'flood', 'malformed-frame', 'oversized-frame', 'unknown-version'
] as const
export type Attack = typeof ATTACKS[number]

const Fraction = z.number().min(0).max(1)

export const StepSchema = z.discriminatedUnion('do', [
  /** Each live node looks a random topic up on the DHT (providers) and one provider's profile. */
  z.object({ do: z.literal('discover'), perNode: z.number().min(0).max(20).default(1), label: z.string().max(60).optional() }).strict(),
  /** `pairs` askers find a peer by topic, handshake and ask for a grant on that topic. */
  z.object({ do: z.literal('introduce'), pairs: z.number().int().min(0).max(10_000) }).strict(),
  /** Owners answer their consent queues: approve a fraction of pending asks, deny the rest. */
  z.object({ do: z.literal('grant'), approve: Fraction.default(1) }).strict(),
  /** With every grant held: in-scope queries (must return only in-scope items) and out-of-scope probes for private memories. */
  z.object({ do: z.literal('query'), perGrant: z.number().int().min(0).max(20).default(1), outOfScope: z.number().int().min(0).max(20).default(1) }).strict(),
  /** Agent-to-agent dialogues over held grants. */
  z.object({ do: z.literal('converse'), conversations: z.number().int().min(0).max(10_000), turns: z.number().int().min(1).max(20).default(2) }).strict(),
  /** Owners revoke a fraction of the grants they issued; the holders' next query must be refused. */
  z.object({ do: z.literal('revoke'), fraction: Fraction }).strict(),
  /** Stop `percent` of the nodes (never the bootstrap node), look topics up meanwhile, then restart them. */
  z.object({ do: z.literal('churn'), percent: z.number().min(0).max(50), lookupsPerNode: z.number().min(0).max(20).default(1), restart: z.boolean().default(true) }).strict(),
  /** Attacks by adversarial peers; every one must be refused and disclose nothing. */
  z.object({ do: z.literal('adversarial'), attacks: z.array(z.enum(ATTACKS)).min(1), each: z.number().int().min(1).max(1000).default(3) }).strict()
])
export type Step = z.infer<typeof StepSchema>

export const ScenarioSchema = z.object({
  version: z.literal(1),
  name: z.string().min(1).max(100),
  description: z.string().max(2000).optional(),
  personas: z.object({
    /** Cap on the memories planted per LoCoMo speaker (their own turns, oldest first). */
    maxMemories: z.number().int().min(5).max(5_000).default(120),
    /** Facts per generated persona. */
    generatedFacts: z.number().int().min(3).max(200).default(12),
    /** Topics each persona announces. */
    topicsPerPersona: z.number().int().min(1).max(10).default(3)
  }).strict().default({ maxMemories: 120, generatedFacts: 12, topicsPerPersona: 3 }),
  /** Per-request timeout inside the simulation. */
  requestTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  steps: z.array(StepSchema).min(1).max(100)
}).strict()

export type Scenario = z.infer<typeof ScenarioSchema>

/** Parse a scenario object; a bad one is an InputError naming where and what. */
export function parseScenario (json: unknown, source = 'scenario'): Scenario {
  const parsed = ScenarioSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.map(String).join('.')}`
  throw new InputError('E_MALFORMED_FILE', `${source}: invalid scenario${where}: ${issue?.message ?? 'invalid'}`)
}

export async function loadScenario (path: string): Promise<Scenario> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError('E_FILE_NOT_FOUND', `scenario file ${path} does not exist`)
    throw new InputError('E_BAD_INPUT', `cannot read scenario file ${path}`, { cause: err })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new InputError('E_MALFORMED_FILE', `${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  return parseScenario(json, path)
}
