import { z } from 'zod'
import { ModelError } from '../errors.js'
import { defineOp } from './op.js'

// Ops that the outward doors (HTTP /v1, MCP) need and the CLI did not have yet.

export const embeddingsOp = defineOp({
  name: 'embeddings',
  summary: 'vectors for texts from the node\'s embedder (the one recall uses)',
  params: z.object({ input: z.array(z.string().min(1).max(20_000)).min(1).max(256) }),
  run: async (me, p, ctx) => {
    const embedder = me.memory.embedder
    if (embedder === undefined) throw new ModelError('E_NO_MODEL', 'no embedder is configured (config memory.embedder is "none")')
    const vectors = await embedder.embed(p.input, ctx.signal === undefined ? {} : { signal: ctx.signal })
    return { model: embedder.id, dimension: embedder.dimension, vectors: vectors.map(v => Array.from(v)) }
  }
})

export const doorOps = [embeddingsOp]
