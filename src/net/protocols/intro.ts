import { z } from 'zod'
import { SecondMeError } from '../../errors.js'
import type { PeerDirectory } from '../directory.js'
import { IntroAskSchema, IntroDecisionSchema, type IntroDecision, type NetDeps } from '../ports.js'
import type { Handlers, ProtocolSpec } from '../wire/spec.js'

export const INTRO_PROTOCOL = '/secondme/intro/1.0.0'

const Ticket = z.string().min(1).max(100)

export const introSpec = {
  id: INTRO_PROTOCOL,
  signed: true,
  kinds: {
    /** Ask to be introduced and for a grant; the answer may be a grant, a counter-offer, pending or a refusal. */
    ask: { request: z.object({ ask: IntroAskSchema, displayName: z.string().max(100).optional() }).strict(), response: IntroDecisionSchema },
    /** Poll a pending ask. */
    poll: { request: z.object({ ticket: Ticket }).strict(), response: IntroDecisionSchema },
    /** Accept a counter-offer. */
    accept: { request: z.object({ offerId: Ticket }).strict(), response: IntroDecisionSchema }
  }
} satisfies ProtocolSpec

export type IntroSpec = typeof introSpec

/**
 * Introductions go to the owner's consent gate (standing rules, queue, grant issuing). A policy
 * refusal is an answer (`refused` with its code), not a transport error; pending is a state.
 */
export function introHandlers (deps: NetDeps, directory: PeerDirectory): Handlers<IntroSpec['kinds']> {
  const decide = async (peer: string, what: string, run: () => Promise<IntroDecision>): Promise<IntroDecision> => {
    let decision: IntroDecision
    try {
      if (deps.consent === undefined) decision = { status: 'refused', code: 'E_DENIED', reason: 'this node accepts no introductions' }
      else decision = await run()
    } catch (err) {
      if (!(err instanceof SecondMeError) || err.code === 'E_INTERNAL') throw err
      decision = { status: 'refused', code: err.code, reason: err.message.slice(0, 500) }
    }
    await deps.audit?.append({ kind: 'intro', peer, protocol: INTRO_PROTOCOL, action: 'introduce', detail: `${what}: ${decision.status}`, ...(decision.status === 'refused' ? { code: decision.code } : {}) })
    return decision
  }
  return {
    ask: async (body, ctx) => await decide(ctx.peer, 'ask', async () => {
      const displayName = body.displayName ?? directory.get(ctx.peer)?.profile.displayName
      return await deps.consent!.ask(ctx.peer, body.ask, displayName === undefined ? {} : { displayName })
    }),
    poll: async (body, ctx) => await decide(ctx.peer, 'poll', async () => await deps.consent!.poll(ctx.peer, body.ticket)),
    accept: async (body, ctx) => await decide(ctx.peer, 'accept', async () => await deps.consent!.accept(ctx.peer, body.offerId))
  }
}
