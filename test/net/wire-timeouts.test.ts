import { setTimeout as sleep } from 'node:timers/promises'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Watchdog } from '../../src/net/deadline.js'
import { RpcSession } from '../../src/net/index.js'
import { RateLimiter } from '../../src/net/rate-limit.js'
import { ReplayGuard } from '../../src/net/wire/replay.js'
import { streamHandler } from '../../src/net/wire/server.js'
import type { RequestContext } from '../../src/net/wire/spec.js'
import { memoryNetwork } from './helpers.js'

// Request deadlines on both sides: one watchdog timer per stream or session, armed per request.

const spec = {
  id: '/secondme-test/slow/1.0.0',
  signed: false,
  kinds: { wait: { request: z.object({ ms: z.number().int().min(0).max(60_000) }).strict(), response: z.object({ aborted: z.boolean() }).strict() } }
}

/** A handler that takes `ms`, and reports whether its signal was aborted by then. */
function serve (selfId: string, handlerTimeoutMs: number, seen: AbortSignal[]) {
  return streamHandler(spec, {
    wait: async (body: { ms: number }, ctx: RequestContext) => {
      seen.push(ctx.signal)
      await sleep(body.ms)
      return { aborted: ctx.signal.aborted }
    }
  }, {
    privateKey: undefined as never,
    selfId,
    limiter: new RateLimiter({ capacity: 1e6, refillPerSecond: 1e6 }),
    replay: new ReplayGuard(),
    handlerTimeoutMs,
    signal: new AbortController().signal
  })
}

describe('watchdog', () => {
  it('fires only while armed, and again after a refresh of a timer that already fired', async () => {
    let fired = 0
    const dog = new Watchdog(40, () => { fired++ })
    dog.arm()
    dog.disarm()
    await sleep(120)
    expect(fired).toBe(0)
    dog.arm()
    await sleep(120)
    expect(fired).toBe(1)
    dog.arm()
    await sleep(120)
    expect(fired).toBe(2)
    dog.stop()
  })
})

// Budgets must hold a quick round trip on a machine under load (150 ms did not, at load ~8), and the
// idle pauses and slow requests stay well past them, so a watchdog that fired while idle, or never
// fired, still fails these tests. They run side by side: the waits overlap.
const BUDGET = 1_000

describe.concurrent('request deadlines', () => {
  it('answers a handler that overruns with E_TIMEOUT, aborts its signal, and keeps serving the stream', async () => {
    await using nodes = await memoryNetwork(2)
    const [server, client] = [nodes[0]!, nodes[1]!]
    const seen: AbortSignal[] = []
    await server.libp2p.handle(spec.id, serve(server.peerId, BUDGET, seen))
    const session = await RpcSession.open(client.libp2p, server.libp2p.peerId, spec, { privateKey: await generateKeyPair('Ed25519'), selfId: client.peerId, timeoutMs: BUDGET * 10 })
    const started = Date.now()
    await expect(session.request('wait', { ms: BUDGET * 10 })).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    // the server's deadline answered, not the client's
    expect(Date.now() - started).toBeLessThan(BUDGET * 5)
    expect(seen[0]?.aborted).toBe(true)
    // the stream is still in step: the next request on it is answered, with a signal of its own
    expect(await session.request('wait', { ms: 0 })).toEqual({ aborted: false })
    expect(seen[1]?.aborted).toBe(false)
    // an idle stream between requests is not a request overrunning
    await sleep(BUDGET * 2.5)
    expect(await session.request('wait', { ms: 0 })).toEqual({ aborted: false })
    await session.close()
  })

  it('times a request out on the client, ends that session, and lets a session idle between requests', async () => {
    await using nodes = await memoryNetwork(2)
    const [server, client] = [nodes[0]!, nodes[1]!]
    await server.libp2p.handle(spec.id, serve(server.peerId, 60_000, []))
    const init = { privateKey: await generateKeyPair('Ed25519'), selfId: client.peerId, timeoutMs: BUDGET }
    const idle = await RpcSession.open(client.libp2p, server.libp2p.peerId, spec, init)
    expect(await idle.request('wait', { ms: 0 })).toEqual({ aborted: false })
    await sleep(BUDGET * 2.5)
    expect(await idle.request('wait', { ms: 0 })).toEqual({ aborted: false })
    await idle.close()

    const slow = await RpcSession.open(client.libp2p, server.libp2p.peerId, spec, init)
    const started = Date.now()
    await expect(slow.request('wait', { ms: BUDGET * 10 })).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    // the client's own deadline ended it, long before the handler would have answered
    expect(Date.now() - started).toBeLessThan(BUDGET * 5)
    // the stream is out of step after a timeout: the session fails fast from then on
    await expect(slow.request('wait', { ms: 0 })).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await slow.close()
  })

  it('aborts a request when the caller\'s signal does', async () => {
    await using nodes = await memoryNetwork(2)
    const [server, client] = [nodes[0]!, nodes[1]!]
    await server.libp2p.handle(spec.id, serve(server.peerId, 60_000, []))
    const session = await RpcSession.open(client.libp2p, server.libp2p.peerId, spec, { privateKey: await generateKeyPair('Ed25519'), selfId: client.peerId, timeoutMs: 10_000 })
    await expect(session.request('wait', { ms: 2_000 }, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await session.close()
  })
})
