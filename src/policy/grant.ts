import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { PolicyError } from '../errors.js'
import { canonicalBytes, signJson } from '../identity/sign.js'
import { MAX_SUCCESSIONS, SuccessionSchema, type Succession } from '../identity/succession.js'
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
  /**
   * When the signer derived from a grant given to one of its former ids: its succession records from
   * the parent's audience to `iss` (each signed by both keys, so they need no signature of the grant).
   */
  succ?: Succession[]
}

export const MAX_CHAIN = 4

export const GrantTokenSchema: z.ZodType<GrantToken> = z.lazy(() => GrantPayloadSchema.extend({
  sig: z.string().min(16).max(200),
  parent: GrantTokenSchema.optional(),
  succ: z.array(SuccessionSchema).min(1).max(MAX_SUCCESSIONS).optional()
}).strict())

const COMPACT_PREFIX = 'smg1.'
const MAX_COMPACT = 16_384

export function payloadOf (token: GrantToken): GrantPayload {
  const { sig: _sig, parent: _parent, succ: _succ, ...payload } = token
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
    if (t.succ !== undefined && t.parent === undefined) throw new PolicyError('E_GRANT_INVALID', 'a root grant carries no succession records')
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
  /** The signer's key rotations, oldest first: it may derive from a grant given to a former id. */
  trail?: readonly Succession[]
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
  let succ: Succession[] | undefined
  if (request.parent !== undefined) {
    succ = request.parent.aud === issuer ? undefined : trailFrom(request.trail ?? [], request.parent.aud, issuer)
    if (request.parent.aud !== issuer && succ === undefined) throw new PolicyError('E_GRANT_AUDIENCE', 'only the audience of a grant (or its successor after a key rotation) may derive from it')
    assertNarrows(request.parent, payload)
  }
  const sig = await signJson(key, payload)
  if (request.parent === undefined) return { ...payload, sig }
  return { ...payload, sig, parent: request.parent, ...(succ === undefined ? {} : { succ }) }
}

/** The part of `trail` that leads from former id `from` to `to`, or undefined if it does not. */
function trailFrom (trail: readonly Succession[], from: string, to: string): Succession[] | undefined {
  const start = trail.findIndex(s => s.prev === from)
  if (start < 0 || trail.at(-1)?.next !== to) return undefined
  return trail.slice(start)
}
