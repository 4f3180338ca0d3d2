import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream } from '@libp2p/utils'
import { fromString, toString } from 'uint8arrays'
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../../src/errors.js'
import { RpcSession, handshakeSpec, memorySpec } from '../../src/net/index.js'
import { decodeFrame, encodeFrame, signFrame } from '../../src/net/wire/codec.js'
import { MAX_CLOCK_SKEW_MS, MAX_FRAME_BYTES, WIRE_VERSION, type RequestFrame } from '../../src/net/wire/frames.js'
import { ReplayGuard } from '../../src/net/wire/replay.js'
import { RateLimiter } from '../../src/net/rate-limit.js'
import { introSpec } from '../../src/net/protocols/intro.js'
import type { NetNode } from '../../src/net/index.js'
import { memoryNetwork } from './helpers.js'
import { REFUSAL_DELAY_MS } from '../../src/net/wire/server.js'

function request (from: string, kind: string, body: unknown, overrides: Partial<RequestFrame> = {}): RequestFrame {
  const now = Date.now()
  return { v: WIRE_VERSION, t: 'req', id: 'r1', kind, from, created: now, expires: now + 10_000, nonce: randomBytes(16).toString('base64url'), body, ...overrides }
}

/** Send raw frames on a fresh stream and read the answers, as a misbehaving peer would. */
async function raw (from: NetNode, to: NetNode, protocol: string, frames: Uint8Array[], reads = frames.length): Promise<unknown[]> {
  const stream = await from.libp2p.dialProtocol(to.libp2p.peerId, protocol)
  const lp = lpStream(stream, { maxDataLength: 4 * MAX_FRAME_BYTES })
  for (const f of frames) await lp.write(f)
  const answers: unknown[] = []
  for (let i = 0; i < reads; i++) answers.push(JSON.parse(toString((await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray())))
  stream.abort(new Error('done'))
  return answers
}

const json = (value: unknown): Uint8Array => fromString(JSON.stringify(value))

describe('wire codec', () => {
  it('round-trips frames and refuses non-JSON, bad shapes, unknown majors and oversize', () => {
    const frame = request('peer', 'hello', { a: 1 })
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame)
    expect(() => decodeFrame(fromString('{nope'))).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    expect(() => decodeFrame(json({ ...frame, t: 'what' }))).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    expect(() => decodeFrame(json({ ...frame, extra: 1 }))).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    expect(() => decodeFrame(json({ ...frame, v: '2.0.0' }))).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_VERSION' }))
    expect(decodeFrame(json({ ...frame, v: '1.7.3' })).v).toBe('1.7.3')
    expect(() => encodeFrame(request('p', 'k', 'x'.repeat(MAX_FRAME_BYTES)))).toThrow(expect.objectContaining({ code: 'E_FRAME_TOO_LARGE' }))
  })

  it('rejects stale, future, over-long and replayed requests', () => {
    const guard = new ReplayGuard()
    const now = Date.now()
    const fresh = { created: now, expires: now + 5_000, nonce: 'a'.repeat(16) }
    guard.check('p', fresh, now)
    expect(() => { guard.check('p', fresh, now) }).toThrow(expect.objectContaining({ code: 'E_GRANT_REPLAY' }))
    guard.check('q', fresh, now) // nonces are per sender
    expect(() => { guard.check('p', { ...fresh, nonce: 'b'.repeat(16), expires: now - 1 }, now) }).toThrow(expect.objectContaining({ code: 'E_TIMEOUT' }))
    expect(() => { guard.check('p', { ...fresh, nonce: 'c'.repeat(16), created: now + 60_000, expires: now + 70_000 }, now) }).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    expect(() => { guard.check('p', { ...fresh, nonce: 'd'.repeat(16), expires: now + 3600_000 }, now) }).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
  })

  it('keeps the replay cache bounded: expired nonces make room, live ones are never dropped', () => {
    const guard = new ReplayGuard(2)
    const now = Date.now()
    guard.check('p', { nonce: 'a'.repeat(16), created: now, expires: now + 1000 }, now)
    guard.check('p', { nonce: 'b'.repeat(16), created: now, expires: now + 1000 }, now)
    expect(() => { guard.check('p', { nonce: 'c'.repeat(16), created: now, expires: now + 1000 }, now) }).toThrow(expect.objectContaining({ code: 'E_RATE_LIMITED' }))
    const later = now + 1000 + MAX_CLOCK_SKEW_MS
    guard.check('p', { nonce: 'c'.repeat(16), created: later, expires: later + 1000 }, later)
    expect(guard.size).toBe(1)
  })

  it('token bucket allows a burst, then refills over time', () => {
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1 })
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([true, true, false])
    expect(limiter.take('b', 0)).toBe(true)
    expect(limiter.take('a', 1_000)).toBe(true)
    expect(limiter.take('a', 1_000)).toBe(false)
  })
})

describe('bad peers against a running node', () => {
  it('answers garbage, oversize, unknown versions, forgeries and replays with stable codes and keeps serving', async () => {
    await using nodes = await memoryNetwork(3)
    const [server, bad, good] = [nodes[0]!, nodes[1]!, nodes[2]!]
    const from = bad.peerId

    const [garbage] = await raw(bad, server, handshakeSpec.id, [randomBytes(200)])
    expect(garbage).toMatchObject({ t: 'err', code: 'E_BAD_MESSAGE' })

    const [oversize] = await raw(bad, server, handshakeSpec.id, [new Uint8Array(MAX_FRAME_BYTES + 10)])
    expect(oversize).toMatchObject({ t: 'err', code: 'E_FRAME_TOO_LARGE' })

    const [future] = await raw(bad, server, handshakeSpec.id, [json(request(from, 'hello', {}, { v: '2.0.0' }))])
    expect(future).toMatchObject({ t: 'err', code: 'E_UNSUPPORTED_VERSION', supported: [WIRE_VERSION] })

    const forged = request(good.peerId, 'hello', {})
    const [impostor] = await raw(bad, server, handshakeSpec.id, [json(forged)])
    expect(impostor).toMatchObject({ t: 'err', id: 'r1', code: 'E_BAD_MESSAGE' })

    const [badBody, unknownKind] = await raw(bad, server, handshakeSpec.id, [json(request(from, 'hello', { profile: 1 })), json(request(from, 'nope', {}))])
    expect(badBody).toMatchObject({ code: 'E_BAD_MESSAGE' })
    expect(unknownKind).toMatchObject({ code: 'E_BAD_MESSAGE' })

    // intro frames must carry the sender's signature
    const unsigned = request(from, 'poll', { ticket: 't' })
    const [noSig] = await raw(bad, server, introSpec.id, [json(unsigned)])
    expect(noSig).toMatchObject({ code: 'E_BAD_MESSAGE' })
    const signed = await signFrame<RequestFrame>(await generateKeyPair('Ed25519'), request(from, 'poll', { ticket: 't' }))
    const [wrongKey] = await raw(bad, server, introSpec.id, [json(signed)])
    expect(wrongKey).toMatchObject({ code: 'E_BAD_MESSAGE' })

    // the same nonce twice on the memory protocol: the second is a replay
    const once = request(from, 'query', { grant: {}, query: 'x' })
    const [first, second] = await raw(bad, server, memorySpec.id, [json(once), json(once)])
    expect(first).toMatchObject({ code: 'E_DENIED' })
    expect(second).toMatchObject({ code: 'E_GRANT_REPLAY' })

    const versionErr = await RpcSession.open(bad.libp2p, server.libp2p.peerId, { ...handshakeSpec, id: '/secondme/handshake/2.0.0' }, { privateKey: await generateKeyPair('Ed25519'), selfId: from })
      .then(() => undefined, (err: unknown) => err)
    expect(versionErr).toBeInstanceOf(NetworkError)
    expect(versionErr).toMatchObject({ code: 'E_UNSUPPORTED_VERSION' })

    // after all that, the node still serves a well-behaved peer
    const profile = await good.client.handshake(server.peerId)
    expect(profile.profile.peerId).toBe(server.peerId)
    expect(server.directory.get(good.peerId)?.profile.displayName).toBe('node 2')
  })

  it('rate-limits a flooding peer with E_RATE_LIMITED but not others', async () => {
    await using nodes = await memoryNetwork(3, () => ({ rate: { capacity: 3, refillPerSecond: 0.001 } }))
    const [server, flooder, other] = [nodes[0]!, nodes[1]!, nodes[2]!]
    const frames = Array.from({ length: 5 }, (_, i) => json(request(flooder.peerId, 'hello', {}, { id: `r${i}` })))
    const t0 = performance.now()
    const answers = await raw(flooder, server, handshakeSpec.id, frames, 4)
    // The refusal waits REFUSAL_DELAY_MS and ends the stream: the frame queued behind it is not read.
    expect(answers.map(a => (a as { code: string }).code)).toEqual(['E_BAD_MESSAGE', 'E_BAD_MESSAGE', 'E_BAD_MESSAGE', 'E_RATE_LIMITED'])
    expect(performance.now() - t0).toBeGreaterThanOrEqual(REFUSAL_DELAY_MS - 50)
    await expect(flooder.client.handshake(server.peerId)).rejects.toMatchObject({ code: 'E_RATE_LIMITED' })
    expect((await other.client.handshake(server.peerId)).profile.peerId).toBe(server.peerId)
  })
})
