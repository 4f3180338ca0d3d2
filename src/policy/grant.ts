import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { PolicyError } from '../errors.js'
import { canonicalBytes, signJson } from '../identity/sign.js'
import type { PrivateKey } from '@libp2p/interface'
import { GRANT_ACTIONS, ScopeSchema, VISIBILITIES, normaliseTopic, type GrantAction, type Scope } from '../scope.js'
import { assertNarrows } from './narrow.js'

// A grant is a capability token in the shape of UCAN 1.0: `iss` signs that `aud` may run `cmd`
// on `sub`'s data within the policy `pol`, between `nbf` and `exp`. Times are epoch milliseconds.
// The id is the hash of the canonical payload (without the signature), so it names exactly one
// grant. A derived grant names its parent in `prf` and carries it in `parent` (bound by that hash).

export { GRANT_ACTIONS, ScopeSchema, type GrantAction } from '../scope.js'

const PeerIdText = z.string().min(10).max(128).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'not a peer id')


export const GrantPayloadSchema = z.object({
  v: z.literal(1),
  iss: PeerIdText,
  aud: PeerIdText,
  sub: PeerIdText,
  cmd: z.array(z.enum(GRANT_ACTIONS)).min(1).max(3),
  pol: ScopeSchema,
  nbf: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  nonce: z.string().min(8).max(64),
  prf: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  purpose: z.string().max(500).optional()
}).strict()
export type GrantPayload = z.infer<typeof GrantPayloadSchema>

/** The token as it travels: payload fields, the issuer's signature and, if derived, the parent token. */
export type GrantToken = GrantPayload & {
  sig: string
  parent?: GrantToken
}

export const MAX_CHAIN = 4

export const GrantTokenSchema: z.ZodType<GrantToken> = z.lazy(() => GrantPayloadSchema.extend({
  sig: z.string().min(16).max(200),
  parent: GrantTokenSchema.optional()
}).strict())

const COMPACT_PREFIX = 'smg1.'
const MAX_COMPACT = 16_384

export function payloadOf (token: GrantToken): GrantPayload {
  const { sig: _sig, parent: _parent, ...payload } = token
  return payload
}

export function grantId (payload: GrantPayload): string {
  return createHash('sha256').update(canonicalBytes(payloadOf(payload as GrantToken))).digest('hex').slice(0, 32)
}

/** Parse an untrusted token (object or compact string); E_GRANT_INVALID if malformed or too deep. */
export function parseGrant (input: unknown): GrantToken {
  const value = typeof input === 'string' ? decodeCompact(input) : input
  // Bound the nesting before the recursive schema walks it.
  let raw: unknown = value
  for (let depth = 0; typeof raw === 'object' && raw !== null; depth++) {
    if (depth >= MAX_CHAIN) throw new PolicyError('E_GRANT_INVALID', `grant chain is longer than ${MAX_CHAIN}`)
    raw = (raw as { parent?: unknown }).parent
  }
  const parsed = GrantTokenSchema.safeParse(value)
  if (!parsed.success) throw new PolicyError('E_GRANT_INVALID', `malformed grant: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  let depth = 0
  for (let t: GrantToken | undefined = parsed.data; t !== undefined; t = t.parent) {
    if (++depth > MAX_CHAIN) throw new PolicyError('E_GRANT_INVALID', `grant chain is longer than ${MAX_CHAIN}`)
    if ((t.prf === undefined) !== (t.parent === undefined)) throw new PolicyError('E_GRANT_INVALID', 'grant proof and parent do not match')
  }
  return parsed.data
}

export function encodeGrant (token: GrantToken): string {
  return COMPACT_PREFIX + Buffer.from(canonicalBytes(token)).toString('base64url')
}

function decodeCompact (text: string): unknown {
  const trimmed = text.trim()
  if (!trimmed.startsWith(COMPACT_PREFIX) || trimmed.length > MAX_COMPACT) throw new PolicyError('E_GRANT_INVALID', 'not a grant token (expected "smg1.…")')
  try {
    return JSON.parse(Buffer.from(trimmed.slice(COMPACT_PREFIX.length), 'base64url').toString('utf8'))
  } catch {
    throw new PolicyError('E_GRANT_INVALID', 'grant token is not valid base64url JSON')
  }
}

/** Scope with normalised, de-duplicated labels, so subset checks and ids are stable. */
export function normaliseScope (scope: Scope): Scope {
  const visibility = VISIBILITIES.filter(v => scope.visibility.includes(v))
  if (scope.topics === undefined) return { visibility }
  return { visibility, topics: [...new Set(scope.topics.map(normaliseTopic))].sort() }
}

export interface GrantRequest {
  aud: string
  actions: GrantAction[]
  scope: Scope
  /** Epoch ms; defaults to now. */
  nbf?: number
  exp: number
  purpose?: string
  /** Derive from this token (the signer must be its audience); the result may only narrow it. */
  parent?: GrantToken
}

/** Build and sign a grant. `sub` is the parent's subject, or the signer for a root grant. */
export async function signGrant (key: PrivateKey, issuer: string, request: GrantRequest, now = Date.now()): Promise<GrantToken> {
  const payload: GrantPayload = {
    v: 1,
    iss: issuer,
    aud: request.aud,
    sub: request.parent?.sub ?? issuer,
    cmd: GRANT_ACTIONS.filter(a => request.actions.includes(a)),
    pol: normaliseScope(request.scope),
    // A derived grant starts no earlier than its parent, even if our clock is behind the issuer's.
    nbf: request.nbf ?? Math.max(now, request.parent?.nbf ?? 0),
    exp: request.exp,
    nonce: randomBytes(12).toString('base64url'),
    ...(request.parent === undefined ? {} : { prf: grantId(request.parent) }),
    ...(request.purpose === undefined ? {} : { purpose: request.purpose })
  }
  const checked = GrantPayloadSchema.safeParse(payload)
  if (!checked.success) throw new PolicyError('E_GRANT_INVALID', `cannot issue grant: ${checked.error.issues[0]?.message ?? 'invalid'}`)
  if (payload.exp <= payload.nbf) throw new PolicyError('E_GRANT_INVALID', 'grant expires before it starts')
  if (request.parent !== undefined) {
    if (request.parent.aud !== issuer) throw new PolicyError('E_GRANT_AUDIENCE', 'only the audience of a grant may derive from it')
    assertNarrows(request.parent, payload)
  }
  const sig = await signJson(key, payload)
  return request.parent === undefined ? { ...payload, sig } : { ...payload, sig, parent: request.parent }
}
