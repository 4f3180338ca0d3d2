import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { InputError } from '../errors.js'
import type { Scope } from '../scope.js'
import type { Vault } from '../vault/index.js'
import type { VaultStore } from '../vault/store.js'
import { GRANT_ACTIONS, normaliseScope, ScopeSchema, type GrantAction } from './grant.js'
import { scopeWithin } from './narrow.js'

// Standing rules answer an ask without the owner: `allow` grants an ask that fits inside the rule
// (actions, scope, duration), `deny` refuses asks from the named peers (or everyone) for its actions.
// Deny rules win over allow rules; an ask no rule answers goes to the consent queue.

export const RULES_STORE = 'policy-rules'

export const RuleInputSchema = z.object({
  effect: z.enum(['allow', 'deny']),
  actions: z.array(z.enum(GRANT_ACTIONS)).min(1).max(3),
  scope: ScopeSchema.default({ visibility: ['public'] }),
  /** Peers the rule applies to; absent = anyone. */
  peers: z.array(z.string().min(10).max(128)).min(1).max(1000).optional(),
  /** Longest grant an allow rule issues. @default 7 days */
  maxDurationSec: z.number().int().min(60).max(365 * 86_400).default(7 * 86_400),
  note: z.string().max(200).optional()
}).strict()
export type RuleInput = z.input<typeof RuleInputSchema>

export const RuleSchema = RuleInputSchema.extend({ id: z.string(), createdAt: z.number().int() })
export type Rule = z.infer<typeof RuleSchema>

export interface RuleAsk {
  actions: readonly GrantAction[]
  scope: Scope
}

export type RuleVerdict = { effect: 'allow', rule: Rule } | { effect: 'deny', rule: Rule } | undefined

export class Rules {
  readonly #vault: Vault

  constructor (vault: Vault) {
    this.#vault = vault
  }

  async add (input: RuleInput): Promise<Rule> {
    const parsed = RuleInputSchema.safeParse(input)
    if (!parsed.success) throw new InputError('E_BAD_INPUT', `bad rule: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    const rule: Rule = { ...parsed.data, scope: normaliseScope(parsed.data.scope), id: 'r' + randomBytes(5).toString('hex'), createdAt: Date.now() }
    await this.#store().put(rule.id, rule)
    return rule
  }

  async remove (id: string): Promise<void> {
    if (!await this.#store().has(id)) throw new InputError('E_NOT_FOUND', `no rule ${id}`)
    await this.#store().del(id)
  }

  async list (): Promise<Rule[]> {
    const out: Rule[] = []
    for await (const [, value] of this.#store().entries()) {
      const parsed = RuleSchema.safeParse(value)
      if (parsed.success) out.push(parsed.data)
    }
    return out.sort((a, b) => a.createdAt - b.createdAt)
  }

  /** The rule that answers `ask` from `peer`, if any: a matching deny first, else a fitting allow. */
  async evaluate (peer: string, ask: RuleAsk): Promise<RuleVerdict> {
    const rules = (await this.list()).filter(r => r.peers === undefined || r.peers.includes(peer))
    const deny = rules.find(r => r.effect === 'deny' && ask.actions.some(a => r.actions.includes(a)))
    if (deny !== undefined) return { effect: 'deny', rule: deny }
    const allow = rules.find(r => r.effect === 'allow' && ask.actions.every(a => r.actions.includes(a)) && scopeWithin(ask.scope, r.scope))
    return allow === undefined ? undefined : { effect: 'allow', rule: allow }
  }

  #store (): VaultStore<unknown> {
    return this.#vault.store<unknown>(RULES_STORE)
  }
}
