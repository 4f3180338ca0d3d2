import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { MEMORY_PROTOCOL } from '../net/protocols/memory.js'
import { signGrant, type GrantToken } from '../policy/grant.js'
import type { SecondMe } from '../node.js'
import { call, pool, type RunContext } from './context.js'
import { jsonBytes } from './metrics.js'
import { issueGrant, revokeGrantTo } from './owner.js'
import type { Attack } from './scenario.js'

// Adversarial peers. Grant attacks go through the normal client with a bad token (forged,
// expired, issued to someone else, revoked); wire attacks write raw frames on a memory-protocol
// stream (replayed, flooded, malformed, oversized, unknown version). Each must be refused with a
// stable code and disclose nothing; the victim must keep serving.

interface Outcome { refused: boolean, code: string, disclosed: number }
const WIRE_FRAME_LIMIT = 64 * 1024

export async function runAttacks (ctx: RunContext, attacks: ReadonlyArray<{ attack: Attack, attacker: number, victim: number }>): Promise<void> {
  await pool(attacks, Math.min(4, ctx.concurrency), async (a) => {
    const attacker = ctx.cluster.nodes[a.attacker]
    const victim = ctx.cluster.nodes[a.victim]
    if (attacker?.me?.net === undefined || victim?.me?.net === undefined) return
    let outcome: Outcome
    try {
      outcome = await attack(ctx, a.attack, a.attacker, a.victim)
    } catch (err) {
      outcome = { refused: false, code: `threw: ${err instanceof Error ? err.message.slice(0, 80) : String(err)}`, disclosed: 0 }
    }
    ctx.metrics.attacks.push({ attack: a.attack, attacker: a.attacker, victim: a.victim, ...outcome })
  }, { ctx, phase: 'adversarial' })
}

function peers (ctx: RunContext, attacker: number, victim: number): { a: SecondMe, v: SecondMe, aId: string, vId: string, other: string } {
  const a = ctx.cluster.nodes[attacker]!
  const v = ctx.cluster.nodes[victim]!
  const other = ctx.cluster.nodes.find(n => n.index !== attacker && n.index !== victim) ?? v
  return { a: a.me!, v: v.me!, aId: a.peerId, vId: v.peerId, other: other.peerId }
}

const WIDE = { visibility: ['private', 'shareable', 'public'] as Array<'private' | 'shareable' | 'public'> }

async function attack (ctx: RunContext, kind: Attack, attacker: number, victim: number): Promise<Outcome> {
  const { a, v, aId, vId, other } = peers(ctx, attacker, victim)
  const now = Date.now()
  switch (kind) {
    case 'forged-grant':
      // Claims the victim as issuer but is signed with the attacker's own key.
      return await withGrant(ctx, attacker, vId, await signGrant(a.identity.privateKey, vId, { aud: aId, actions: ['memory:read'], scope: WIDE, exp: now + 3600_000 }))
    case 'expired-grant':
      return await withGrant(ctx, attacker, vId, await signGrant(v.identity.privateKey, vId, { aud: aId, actions: ['memory:read'], scope: WIDE, nbf: now - 7200_000, exp: now - 3600_000 }, now - 7200_000))
    case 'wrong-audience':
      return await withGrant(ctx, attacker, vId, await signGrant(v.identity.privateKey, vId, { aud: other, actions: ['memory:read'], scope: WIDE, exp: now + 3600_000 }))
    case 'revoked-grant': {
      const token = await issueGrant(v, aId, { actions: ['memory:read'], scope: { visibility: ['shareable'] }, durationSec: 3600 })
      await revokeGrantTo(v, aId)
      return await withGrant(ctx, attacker, vId, token)
    }
    case 'replayed-request':
      return await replay(ctx, attacker, victim, await issueGrant(v, aId, { actions: ['memory:read'], scope: { visibility: ['shareable'] }, durationSec: 3600 }))
    case 'flood':
      return await flood(ctx, attacker, victim)
    case 'malformed-frame':
      return await rawOnce(ctx, attacker, victim, new TextEncoder().encode('{"v":"1.0.0","t":"req", this is not json'))
    case 'oversized-frame':
      return await rawOnce(ctx, attacker, victim, new TextEncoder().encode(JSON.stringify(frame(aId, { grant: {}, query: 'x'.repeat(WIRE_FRAME_LIMIT + 1024), k: 5 }))))
    case 'unknown-version':
      return await rawOnce(ctx, attacker, victim, new TextEncoder().encode(JSON.stringify({ ...frame(aId, { grant: {}, query: 'hello', k: 5 }), v: '9.0.0' })))
  }
}

/** A memory query with a bad grant, through the normal client (the door a real peer uses). */
async function withGrant (ctx: RunContext, attacker: number, victimId: string, grant: GrantToken): Promise<Outcome> {
  const out = await call(ctx, attacker, 'query', { peer: victimId, text: 'private note bank recovery code word', k: 10, grant }, 'adversarial')
  return out.ok ? { refused: false, code: 'answered', disclosed: out.value.items.length } : { refused: out.code.startsWith('E_GRANT_'), code: out.code, disclosed: 0 }
}

function frame (from: string, body: unknown): Record<string, unknown> {
  const created = Date.now()
  return { v: '1.0.0', t: 'req', id: randomBytes(6).toString('base64url'), kind: 'query', from, created, expires: created + 10_000, nonce: randomBytes(16).toString('base64url'), body }
}

interface Raw { write: (bytes: Uint8Array) => Promise<void>, read: () => Promise<Record<string, unknown> | undefined>, close: () => Promise<void> }

async function rawStream (ctx: RunContext, attacker: number, victim: number): Promise<Raw> {
  const a = ctx.cluster.nodes[attacker]!
  const v = ctx.cluster.nodes[victim]!
  const net = a.me!.net!
  await net.client.handshake(v.peerId)
  const stream = await net.libp2p.dialProtocol(peerIdFromString(v.peerId), MEMORY_PROTOCOL, { signal: AbortSignal.timeout(ctx.timeoutMs) })
  const lp = lpStream(stream, { maxDataLength: WIRE_FRAME_LIMIT * 4 })
  return {
    write: async (bytes) => { await lp.write(bytes, { signal: AbortSignal.timeout(ctx.timeoutMs) }) },
    read: async () => {
      try {
        const data = await lp.read({ signal: AbortSignal.timeout(ctx.timeoutMs) })
        const reply = JSON.parse(new TextDecoder().decode(data.subarray())) as Record<string, unknown>
        ctx.leaks.scan(attacker, 'raw wire reply', reply)
        ctx.metrics.request('adversarial', reply.t === 'err' ? 'refused' : 'ok', 0, jsonBytes(reply))
        return reply
      } catch {
        return undefined
      }
    },
    close: async () => { await stream.close().catch(() => { stream.abort(new Error('closed')) }) }
  }
}

function itemsOf (reply: Record<string, unknown> | undefined): number {
  const body = reply?.body as { items?: unknown[] } | undefined
  return Array.isArray(body?.items) ? body.items.length : 0
}

async function rawOnce (ctx: RunContext, attacker: number, victim: number, bytes: Uint8Array): Promise<Outcome> {
  const raw = await rawStream(ctx, attacker, victim)
  try {
    await raw.write(bytes)
    const reply = await raw.read()
    const code = reply?.t === 'err' ? String(reply.code) : reply === undefined ? 'closed' : 'answered'
    return { refused: reply?.t === 'err' || reply === undefined, code, disclosed: itemsOf(reply) }
  } finally {
    await raw.close()
  }
}

/** A valid request sent twice, byte for byte: the copy must be refused as a replay. */
async function replay (ctx: RunContext, attacker: number, victim: number, grant: GrantToken): Promise<Outcome> {
  const aId = ctx.cluster.nodes[attacker]!.peerId
  const bytes = new TextEncoder().encode(JSON.stringify(frame(aId, { grant, query: 'hello', k: 3 })))
  const raw = await rawStream(ctx, attacker, victim)
  try {
    await raw.write(bytes)
    await raw.read()
    await raw.write(bytes)
    const second = await raw.read()
    return { refused: second?.t === 'err' && second.code === 'E_GRANT_REPLAY', code: String(second?.code ?? 'closed'), disclosed: itemsOf(second) }
  } finally {
    await raw.close()
  }
}

/**
 * Many requests as fast as the victim takes them: several streams at once, each with its frames
 * written before any reply is read (a flood does not wait). The quota is per peer, so it must cut
 * in however busy the process is; nothing may be disclosed.
 */
async function flood (ctx: RunContext, attacker: number, victim: number, count = 120, streams = 4): Promise<Outcome> {
  const aId = ctx.cluster.nodes[attacker]!.peerId
  const codes = new Set<string>()
  let disclosed = 0
  let answered = 0
  await Promise.all(Array.from({ length: streams }, async () => {
    const raw = await rawStream(ctx, attacker, victim)
    try {
      const perStream = Math.ceil(count / streams)
      for (let i = 0; i < perStream; i++) {
        await raw.write(new TextEncoder().encode(JSON.stringify(frame(aId, { grant: { forged: true }, query: 'flood', k: 20 }))))
      }
      for (let i = 0; i < perStream; i++) {
        const reply = await raw.read()
        if (reply === undefined) break
        if (reply.t === 'err') codes.add(String(reply.code))
        else answered++
        disclosed += itemsOf(reply)
      }
    } finally {
      await raw.close()
    }
  }))
  // The victim must still answer someone else.
  const witness = ctx.cluster.live.find(n => n.index !== attacker && n.index !== victim)
  const healthy = witness === undefined || (await call(ctx, witness.index, 'handshake', { peer: ctx.cluster.nodes[victim]!.peerId }, '/secondme/handshake/1.0.0')).ok
  return { refused: answered === 0 && codes.has('E_RATE_LIMITED') && healthy, code: [...codes].sort().join('+'), disclosed }
}
