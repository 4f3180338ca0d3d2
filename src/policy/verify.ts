import { PolicyError } from '../errors.js'
import { verifyJson } from '../identity/sign.js'
import { verifyTrail } from '../identity/succession.js'
import type { Scope } from '../scope.js'
import { grantId, parseGrant, payloadOf, type GrantAction, type GrantToken } from './grant.js'
import type { CheckedChain, VerifiedGrantCache } from './grant-cache.js'
import { assertNarrows, effectiveScope } from './narrow.js'

export interface VerifyOptions {
  /** This node: the subject every accepted chain must start from. */
  owner: string
  /** This node's ids before its key rotations: grants it issued under them stay valid. */
  formerOwners?: readonly string[]
  /** True when `later` is `earlier` after a key rotation (a grant to the old id follows its owner). */
  succeeds?: (later: string, earlier: string) => boolean
  /** The peer presenting the token (the remote peer id of the noise channel). */
  presenter: string
  action: GrantAction
  /** Topics the request asks for; each must be inside the grant. */
  topics?: readonly string[]
  now?: number
  isRevoked?: (id: string) => boolean | Promise<boolean>
  /** Chains whose signatures already verified; everything else is still checked on every call. */
  cache?: VerifiedGrantCache
}

export interface VerifiedGrant {
  grantId: string
  /** What the request may see: the grant's scope, narrowed to the requested topics. */
  scope: Scope
  token: GrantToken
  /** Grant ids from the presented grant up to the root issued by the owner. */
  chain: string[]
}

/**
 * Check a presented grant: well-formed, every signature in the chain, each link narrowing its
 * parent, rooted at the owner, audience = presenter, not revoked, inside its time window, action
 * and topics in scope. Throws PolicyError with the first failing check's code.
 */
export async function verifyGrant (input: unknown, options: VerifyOptions): Promise<VerifiedGrant> {
  const token = parseGrant(input)
  const now = options.now ?? Date.now()
  const owners = [options.owner, ...options.formerOwners ?? []]
  const { links, ids } = await checkedChain(token, options.cache, owners, options.succeeds)
  const root = links[links.length - 1]!
  if (!owners.includes(root.iss) || token.sub !== root.iss) throw new PolicyError('E_GRANT_INVALID', 'grant was not issued by this node')
  if (token.aud !== options.presenter && options.succeeds?.(options.presenter, token.aud) !== true) throw new PolicyError('E_GRANT_AUDIENCE', 'grant was issued to another peer')
  const chain = [...ids]
  for (const id of chain) {
    if (await options.isRevoked?.(id) === true) throw new PolicyError('E_GRANT_REVOKED', `grant ${id} has been revoked`, { data: { grantId: id } })
  }
  for (const link of links) checkWindow(link, now)
  if (!token.cmd.includes(options.action)) throw new PolicyError('E_GRANT_SCOPE', `grant does not allow ${options.action}`)
  return { grantId: chain[0]!, scope: effectiveScope(token.pol, options.topics), token, chain }
}

/**
 * Signatures and links of the chain, from the cache when this exact token passed before. Only chains
 * rooted at the owner are remembered, so a peer's self-signed tokens cannot push out real grants.
 */
async function checkedChain (token: GrantToken, cache: VerifiedGrantCache | undefined, owners: readonly string[], succeeds?: Succeeds): Promise<CheckedChain> {
  const key = cache?.keyOf(token)
  const known = key === undefined ? undefined : cache?.get(key)
  if (known !== undefined) return known
  const links = chainOf(token)
  for (const link of links) await checkLink(link, succeeds)
  const checked = { links, ids: links.map(grantId) }
  if (key !== undefined && owners.includes(links[links.length - 1]!.iss)) cache?.set(key, checked)
  return checked
}

/** The token and its ancestors, child first. */
function chainOf (token: GrantToken): GrantToken[] {
  const links: GrantToken[] = []
  for (let t: GrantToken | undefined = token; t !== undefined; t = t.parent) links.push(t)
  return links
}

type Succeeds = (later: string, earlier: string) => boolean

async function checkLink (link: GrantToken, succeeds?: Succeeds): Promise<void> {
  if (!await verifyJson(link.iss, payloadOf(link), link.sig)) throw new PolicyError('E_GRANT_SIGNATURE', 'grant signature does not verify')
  const parent = link.parent
  if (parent === undefined) return
  if (link.prf !== grantId(parent)) throw new PolicyError('E_GRANT_INVALID', 'grant proof does not name its parent')
  if (parent.aud !== link.iss && !await succeedsAudience(link, parent.aud, succeeds)) throw new PolicyError('E_GRANT_AUDIENCE', 'a derived grant was signed by someone the parent was not issued to')
  assertNarrows(parent, link)
}

/**
 * A grant given to `aud` may be derived by aud's successor after a key rotation: the link carries
 * the succession records from aud to its signer, or this node has learnt them from aud's profile.
 */
async function succeedsAudience (link: GrantToken, aud: string, succeeds?: Succeeds): Promise<boolean> {
  if (succeeds?.(link.iss, aud) === true) return true
  return link.succ !== undefined && link.succ[0]?.prev === aud && await verifyTrail(link.succ, link.iss)
}

/** Tolerated clock difference for not-before (a deriving node's clock may run ahead of ours). */
export const NBF_SKEW_MS = 30_000

function checkWindow (link: GrantToken, now: number): void {
  if (now + NBF_SKEW_MS < link.nbf) throw new PolicyError('E_GRANT_NOT_YET_VALID', `grant is valid from ${new Date(link.nbf).toISOString()}`)
  if (now >= link.exp) throw new PolicyError('E_GRANT_EXPIRED', `grant expired at ${new Date(link.exp).toISOString()}`)
}
