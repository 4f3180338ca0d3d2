import type { z } from 'zod'
import type { SecondMe } from '../node.js'

import type { ProgressEvent } from '../progress.js'

export type { ProgressEvent } from '../progress.js'

export interface OpContext {
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Streamed text (e.g. model tokens) for doors that can show it as it comes. */
  onText?: (chunk: string) => void
}

/**
 * One operation of the core, the unit every door calls: the CLI (in-process), the control channel
 * of a running node (over its socket), tests, and the HTTP/MCP doors. `params` is validated at the
 * door; `result` describes what `run` returns (the same value travels as JSON), so a door can
 * publish both as JSON Schema and a typed caller gets the result type without casts.
 */
export interface Op<N extends string = string, PS extends z.ZodType = z.ZodType, RS extends z.ZodType = z.ZodType> {
  readonly name: N
  readonly summary: string
  readonly params: PS
  readonly result: RS
  /** Needs the running node's network: the registry refuses it (E_NODE_NOT_RUNNING) without one. */
  readonly needsNetwork?: boolean
  readonly run: (me: SecondMe, params: z.output<PS>, ctx: OpContext) => Promise<z.output<RS>>
}

/**
 * An op as kept in a list of ops of any shape. `run` is typed loosely on purpose: only `runOp`
 * calls it, after validating params with the op's own schema.
 */
export interface AnyOp {
  readonly name: string
  readonly summary: string
  readonly params: z.ZodType
  readonly result: z.ZodType
  readonly needsNetwork?: boolean
  readonly run: (me: SecondMe, params: never, ctx: OpContext) => Promise<unknown>
}

/** Declare an op; keeps its name, params and result types for the typed registry. */
export function defineOp<const N extends string, PS extends z.ZodType, RS extends z.ZodType> (op: Op<N, PS, RS>): Op<N, PS, RS> {
  return op
}
