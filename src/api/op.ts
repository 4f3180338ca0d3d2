import type { z } from 'zod'
import type { SecondMe } from '../node.js'

/** A progress event from a long operation (ingest, embedding, training, simulation). */
export interface ProgressEvent {
  phase: string
  done: number
  total?: number
  detail?: string
}

export interface OpContext {
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Streamed text (e.g. model tokens) for doors that can show it as it comes. */
  onText?: (chunk: string) => void
}

/**
 * One operation of the core, the unit every door calls: the CLI (in-process), the control channel
 * of a running node (over its socket), and tests. Params are validated by the schema at the door.
 */
export interface Op<P = unknown, R = unknown> {
  name: string
  summary: string
  params: z.ZodType<P>
  /** True if the op needs the running node's network (refused in an offline, in-process call). */
  needsNetwork?: boolean
  run: (me: SecondMe, params: P, ctx: OpContext) => Promise<R>
}

/** An op with its types erased, as kept in the registry; `runOp` validates params before `run`. */
export interface AnyOp {
  name: string
  summary: string
  params: z.ZodType
  needsNetwork?: boolean
  run: (me: SecondMe, params: unknown, ctx: OpContext) => Promise<unknown>
}

export function defineOp<P, R> (op: Op<P, R>): AnyOp {
  return op as unknown as AnyOp
}
