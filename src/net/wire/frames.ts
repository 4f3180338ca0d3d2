import { z } from 'zod'

// The three frames every /secondme/* protocol exchanges, each one length-prefixed JSON object.
// A request names its kind; the protocol's own schemas (src/net/protocols/*) check the body.

/** Version of the frame format and of every protocol in this release; majors must match. */
export const WIRE_VERSION = '1.0.0'
/** Largest frame a node reads or writes. */
export const MAX_FRAME_BYTES = 64 * 1024
/** How far a peer's clock may run ahead of ours. */
export const MAX_CLOCK_SKEW_MS = 30_000
/** Longest lifetime a request may claim (bounds the replay cache). */
export const MAX_REQUEST_TTL_MS = 5 * 60_000

const Version = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/)
const Id = z.string().min(1).max(64)

export const RequestFrameSchema = z.object({
  v: Version,
  t: z.literal('req'),
  id: Id,
  kind: z.string().min(1).max(40),
  /** The sender's peer id; must be the connection's remote peer. */
  from: z.string().min(1).max(128),
  /** Unix milliseconds. */
  created: z.number().int().nonnegative(),
  expires: z.number().int().nonnegative(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  body: z.unknown(),
  /** base64url Ed25519 signature by `from` over the canonical frame without `sig`. */
  sig: z.string().min(1).max(200).optional()
}).strict()

export const ResponseFrameSchema = z.object({
  v: Version,
  t: z.literal('res'),
  id: Id,
  from: z.string().min(1).max(128),
  body: z.unknown(),
  sig: z.string().min(1).max(200).optional()
}).strict()

export const ErrorFrameSchema = z.object({
  v: Version,
  t: z.literal('err'),
  /** The request this answers, or null when the request could not be read. */
  id: Id.nullable(),
  code: z.string().regex(/^E_[A-Z_]{2,40}$/),
  message: z.string().max(500),
  /** The versions the node speaks, on E_UNSUPPORTED_VERSION. */
  supported: z.array(Version).max(10).optional()
}).strict()

export const AnyFrameSchema = z.discriminatedUnion('t', [RequestFrameSchema, ResponseFrameSchema, ErrorFrameSchema])

export type RequestFrame = z.infer<typeof RequestFrameSchema>
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>
export type AnyFrame = z.infer<typeof AnyFrameSchema>
