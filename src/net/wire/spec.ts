import type { z } from 'zod'

// How a protocol describes itself to the RPC layer: its id, whether frames are signed, and for each
// request kind the zod schemas of the request and response bodies (also the source of protocols/*.json).

export interface KindSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req
  response: Res
}

export type Kinds = Record<string, KindSpec>

export interface ProtocolSpec<K extends Kinds = Kinds> {
  /** libp2p protocol id, e.g. /secondme/memory/1.0.0 */
  id: string
  /** Requests and responses carry the sender's signature over the canonical frame. */
  signed: boolean
  kinds: K
}

export interface RequestContext {
  /** The remote peer, as authenticated by the connection (noise). */
  peer: string
  kind: string
  signal: AbortSignal
}

export type Handlers<K extends Kinds> = {
  [N in keyof K]: (body: z.output<K[N]['request']>, ctx: RequestContext) => Promise<z.input<K[N]['response']>>
}

export type RequestOf<K extends Kinds, N extends keyof K> = z.input<K[N]['request']>
export type ResponseOf<K extends Kinds, N extends keyof K> = z.output<K[N]['response']>
