import type { Connection, PrivateKey, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { NetworkError } from '../../errors.js'
import { withDeadline } from '../deadline.js'
import type { RateLimiter } from '../rate-limit.js'
import type { PeerStreamGate } from '../stream-limits.js'
import { decodeFrame, describeIssue, encodeFrame, errorFrame, signFrame, verifyFrame, type FrameBytes } from './codec.js'
import { MAX_FRAME_BYTES, WIRE_VERSION, type AnyFrame, type RequestFrame, type ResponseFrame } from './frames.js'
import { HandlerClock } from './handler-clock.js'
import type { ReplayGuard } from './replay.js'
import type { Handlers, Kinds, ProtocolSpec, RequestContext } from './spec.js'
import { errText, log } from '../../log.js'

const logServer = log('net:wire')

export interface ServeInit {
  privateKey: PrivateKey
  selfId: string
  limiter: RateLimiter
  replay: ReplayGuard
  /** @default MAX_FRAME_BYTES */
  maxFrameBytes?: number
  /** Close a stream that sends nothing for this long. @default 30_000 */
  idleTimeoutMs?: number
  /** Longest a handler may run before the peer gets E_TIMEOUT. @default 20_000 */
  handlerTimeoutMs?: number
  /** Shutdown signal of the node. */
  signal: AbortSignal
  /** Caps the streams one peer holds open across its connections (stream-limits.ts). */
  gate?: PeerStreamGate
  /**
   * How long a request over the peer's quota waits before its refusal is sent; the stream then ends.
   * A flooding peer gets one refusal per stream per delay instead of as many as it can send, so its
   * refused traffic stops costing the node (measured by `bench:net -- --flood`). @default REFUSAL_DELAY_MS
   */
  refusalDelayMs?: number
}

export const REFUSAL_DELAY_MS = 1000

const LENGTH_ERRORS = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError'])

/**
 * Serve one protocol on a stream: read frames one after another (a client may reuse the stream),
 * answer each with a response or an error frame. A frame that cannot be delimited (too large) or a
 * request over the peer's quota ends the stream after its error frame; everything else leaves the
 * stream open for the next request.
 */
export function streamHandler<K extends Kinds> (spec: ProtocolSpec<K>, handlers: Handlers<K>, init: ServeInit) {
  const maxFrameBytes = init.maxFrameBytes ?? MAX_FRAME_BYTES
  return async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer.toString()
    if (init.gate !== undefined && !init.gate.enter(peer)) {
      stream.abort(new NetworkError('E_RATE_LIMITED', 'too many open streams from this peer'))
      return
    }
    const lp = lpStream(stream, { maxDataLength: maxFrameBytes })
    // One controller and one refreshed timer per stream: per-read AbortSignal.any/timeout costs more
    // than a whole small request on a reused stream.
    const live = new AbortController()
    const onShutdown = (): void => { live.abort() }
    init.signal.addEventListener('abort', onShutdown, { once: true })
    const idle = setTimeout(() => { live.abort() }, init.idleTimeoutMs ?? 30_000)
    const clock = new HandlerClock(init.handlerTimeoutMs ?? 20_000, live.signal)
    try {
      while (!live.signal.aborted) {
        idle.refresh()
        const data = await readOrReport(lp, init, live.signal)
        if (data === undefined) break
        const reply = await answer(spec, handlers, init, peer, data, clock)
        await lp.write(encodeFrame(reply, maxFrameBytes), { signal: live.signal })
        // Over quota: the refusal came after REFUSAL_DELAY_MS; frames queued behind it are not read.
        if (reply.t === 'err' && reply.code === 'E_RATE_LIMITED') break
      }
      await withDeadline(2_000, undefined, async (signal) => { await stream.close({ signal }) }).catch((err: unknown) => { logServer('stream close from %s: %s', peer, errText(err)) })
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    } finally {
      clearTimeout(idle)
      clock.stop()
      init.signal.removeEventListener('abort', onShutdown)
      init.gate?.leave(peer)
    }
  }
}

/** The next frame, or undefined at end of stream / idle timeout / an undelimitable frame (reported). */
async function readOrReport (lp: LengthPrefixedStream, init: ServeInit, signal: AbortSignal): Promise<FrameBytes | undefined> {
  try {
    return await lp.read({ signal })
  } catch (err) {
    if (err instanceof Error && LENGTH_ERRORS.has(err.name)) {
      const tooLarge = new NetworkError('E_FRAME_TOO_LARGE', `frame exceeds ${init.maxFrameBytes ?? MAX_FRAME_BYTES} bytes`)
      await withDeadline(2_000, undefined, async (signal) => { await lp.write(encodeFrame(errorFrame(null, tooLarge)), { signal }) }).catch((e: unknown) => { logServer('E_FRAME_TOO_LARGE reply not sent: %s', errText(e)) })
    }
    return undefined
  }
}

async function answer<K extends Kinds> (spec: ProtocolSpec<K>, handlers: Handlers<K>, init: ServeInit, peer: string, data: FrameBytes, clock: HandlerClock): Promise<AnyFrame> {
  // The quota is taken before parsing so a flood of garbage costs the node as little as valid traffic.
  if (!init.limiter.take(peer)) {
    await delay(init.refusalDelayMs ?? REFUSAL_DELAY_MS, init.signal)
    return errorFrame(null, new NetworkError('E_RATE_LIMITED', 'too many requests from this peer'))
  }
  let frame: AnyFrame
  try {
    frame = decodeFrame(data)
  } catch (err) {
    return errorFrame(null, err)
  }
  if (frame.t !== 'req') return errorFrame(null, new NetworkError('E_BAD_MESSAGE', 'expected a request frame'))
  const scope = clock.begin(peer, frame.kind)
  try {
    const body = await admit(spec, init, peer, frame)
    const handler = handlers[frame.kind] as (body: unknown, ctx: RequestContext) => Promise<unknown>
    const result = await scope.race(handler(body, scope))
    const kind = spec.kinds[frame.kind]
    const out = kind === undefined ? result : kind.response.parse(result)
    const response = { v: WIRE_VERSION, t: 'res' as const, id: frame.id, from: init.selfId, body: out }
    return spec.signed ? await signFrame<ResponseFrame>(init.privateKey, response) : response
  } catch (err) {
    return errorFrame(frame.id, err)
  } finally {
    clock.end()
  }
}

/** Checks that need no handler: sender, kind, signature, freshness and replay, body schema. */
async function admit<K extends Kinds> (spec: ProtocolSpec<K>, init: ServeInit, peer: string, frame: RequestFrame): Promise<unknown> {
  if (frame.from !== peer) throw new NetworkError('E_BAD_MESSAGE', 'request "from" is not the connected peer')
  const kind = Object.hasOwn(spec.kinds, frame.kind) ? spec.kinds[frame.kind] : undefined
  if (kind === undefined) throw new NetworkError('E_BAD_MESSAGE', `unknown request kind "${frame.kind}" for ${spec.id}`)
  if (spec.signed && !await verifyFrame(peer, frame)) throw new NetworkError('E_BAD_MESSAGE', 'request signature does not verify')
  init.replay.check(peer, frame)
  const parsed = kind.request.safeParse(frame.body)
  if (!parsed.success) throw new NetworkError('E_BAD_MESSAGE', `bad ${frame.kind} request: ${describeIssue(parsed.error.issues[0])}`)
  return parsed.data
}

/** Resolves after `ms`, or at once when the node shuts down. */
async function delay (ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done (): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
