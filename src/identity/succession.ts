import { LRUCache } from 'lru-cache'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { z } from 'zod'
import { signJson, verifyJson } from './sign.js'

// Key rotation leaves a trail: a succession record says "identity `prev` is now `next`", signed by
// the old key (only the owner of prev could have made it) and by the new one (next agreed to be
// bound). A node keeps its whole trail in its sealed keyring and publishes it in its profile, so a
// peer that knew the old id can tell the new one is the same Second Me, and grants follow.

const PeerIdText = z.string().min(10).max(128).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'not a peer id')

export const SuccessionSchema = z.object({
  v: z.literal(1),
  prev: PeerIdText,
  next: PeerIdText,
  at: z.number().int().nonnegative(),
  sig: z.string().min(16).max(200),
  nextSig: z.string().min(16).max(200)
}).strict()
export type Succession = z.infer<typeof SuccessionSchema>

/** Longest trail carried in a profile: older links are dropped (peers that old re-introduce). */
export const MAX_SUCCESSIONS = 8

export async function signSuccession (oldKey: PrivateKey, newKey: PrivateKey, at = Date.now()): Promise<Succession> {
  const body = { v: 1 as const, prev: peerIdFromPrivateKey(oldKey).toString(), next: peerIdFromPrivateKey(newKey).toString(), at }
  return { ...body, sig: await signJson(oldKey, body), nextSig: await signJson(newKey, body) }
}

export async function verifySuccession (record: Succession): Promise<boolean> {
  const { sig, nextSig, ...body } = record
  if (body.prev === body.next) return false
  return await verifyJson(body.prev, body, sig) && await verifyJson(body.next, body, nextSig)
}

/** True when `trail` (oldest first) is a contiguous, fully signed chain ending at `current`. */
export async function verifyTrail (trail: readonly Succession[], current: string): Promise<boolean> {
  if (trail.length === 0) return true
  if (trail.at(-1)?.next !== current) return false
  for (const [i, record] of trail.entries()) {
    if (i > 0 && trail[i - 1]?.next !== record.prev) return false
    if (!await verifySuccession(record)) return false
  }
  return new Set(trail.map(r => r.prev)).size === trail.length
}

/**
 * What this node has learnt of other peers' rotations (from verified profiles): old id → new id.
 * In memory and bounded; a peer re-proves its trail on every handshake.
 */
export class SuccessionBook {
  /** Least recently learnt dropped first; lookups do not refresh (peek). */
  readonly #next: LRUCache<string, string>

  constructor (max = 10_000) {
    this.#next = new LRUCache({ max })
  }

  /** Record a trail already verified against its current id (verifyTrail). */
  learn (trail: readonly Succession[]): void {
    for (const record of trail) this.#next.set(record.prev, record.next)
  }

  /** True when `later` is `earlier` after one or more rotations. */
  succeeds (later: string, earlier: string): boolean {
    let id = earlier
    for (let hops = 0; hops < MAX_SUCCESSIONS * 4; hops++) {
      const next = this.#next.peek(id)
      if (next === undefined) return false
      if (next === later) return true
      id = next
    }
    return false
  }

  /** `peer` and every earlier id it is known to have had. */
  lineage (peer: string): string[] {
    const out = [peer]
    for (const prev of this.#next.keys()) if (prev !== peer && this.succeeds(peer, prev)) out.push(prev)
    return out
  }
}
