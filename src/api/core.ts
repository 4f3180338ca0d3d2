import { z } from 'zod'
import { defineOp } from './op.js'

export const statusOp = defineOp({
  name: 'status',
  summary: 'peer id, home, counts and sizes',
  params: z.object({}),
  result: z.object({
    peerId: z.string(),
    home: z.string(),
    displayName: z.string().optional(),
    schemaVersion: z.number(),
    stores: z.record(z.string(), z.object({ count: z.number(), bytes: z.number() })),
    diskBytes: z.number(),
    /** While the node runs: reachability, relays, addresses (net/net-node.ts NetworkReport). */
    network: z.object({
      role: z.enum(['personal', 'relay']),
      reachability: z.enum(['unknown', 'public', 'private']),
      dhtMode: z.enum(['client', 'server']),
      relays: z.array(z.string()),
      reservations: z.number().optional(),
      addresses: z.array(z.string()),
      connections: z.object({ direct: z.number(), relayed: z.number() })
    }).optional()
  }),
  run: async (me) => await me.status()
})

export const coreOps = [statusOp] as const
