import { z } from 'zod'
import { defineOp } from './op.js'

export const statusOp = defineOp({
  name: 'status',
  summary: 'peer id, home, counts and sizes',
  params: z.object({}),
  run: async (me) => await me.status()
})

export const coreOps = [statusOp]
