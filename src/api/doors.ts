import { z } from 'zod'
import { InputError, ModelError } from '../errors.js'
import { BEARER_AUDIENCE, MAX_BEARER_SEC } from '../policy/bearer.js'
import { VISIBILITIES } from '../scope.js'
import { defineOp } from './op.js'

// Ops that the outward doors (HTTP /v1, MCP) need and the CLI did not have yet.

export const embeddingsOp = defineOp({
  name: 'embeddings',
  summary: 'vectors for texts from the node\'s embedder (the one recall uses)',
  params: z.object({ input: z.array(z.string().min(1).max(20_000)).min(1).max(256) }),
  result: z.object({ model: z.string(), dimension: z.number(), vectors: z.array(z.array(z.number())) }),
  run: async (me, p, ctx) => {
    const embedder = me.memory.embedder
    if (embedder === undefined) throw new ModelError('E_NO_MODEL', 'no embedder is configured (config memory.embedder is "none")')
    const vectors = await embedder.embed(p.input, ctx.signal === undefined ? {} : { signal: ctx.signal })
    return { model: embedder.id, dimension: embedder.dimension, vectors: vectors.map(v => Array.from(v)) }
  }
})

export const bearerGrantOp = defineOp({
  name: 'grant.bearer',
  summary: 'issue a short-lived bearer grant (its audience is whoever holds it) for A2A callers',
  params: z.object({
    visibility: z.array(z.enum(VISIBILITIES)).min(1).max(2).default(['shareable']),
    topics: z.array(z.string().min(1).max(100)).min(1).max(50).optional(),
    durationSec: z.number().int().min(60).max(MAX_BEARER_SEC).default(3600),
    purpose: z.string().max(500).optional()
  }),
  result: z.object({ id: z.string(), token: z.string(), expires: z.string() }),
  run: async (me, p) => {
    // Anyone who copies the token can use it: never private memories, only conversation.
    if (p.visibility.includes('private')) throw new InputError('E_BAD_INPUT', 'a bearer grant cannot cover private memories')
    const issued = await me.policy.issue({
      aud: BEARER_AUDIENCE,
      actions: ['converse'],
      scope: { visibility: p.visibility, ...(p.topics === undefined ? {} : { topics: p.topics }) },
      durationSec: p.durationSec,
      ...(p.purpose === undefined ? {} : { purpose: p.purpose })
    })
    return { id: issued.id, token: issued.compact, expires: new Date(issued.token.exp).toISOString() }
  }
})

export const doorOps = [embeddingsOp, bearerGrantOp] as const
