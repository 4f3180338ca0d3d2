import type { Connection, PeerId, PrivateKey, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Libp2p } from '@libp2p/interface'
import { NetworkError, SecondMeError, StorageError } from '../../errors.js'
import { Watchdog, withDeadline } from '../deadline.js'
import { decodeFrame, describeIssue, encodeFrame, errorFromFrame, signFrame, verifyFrame } from './codec.js'
import { MAX_FRAME_BYTES, WIRE_VERSION, type RequestFrame } from './frames.js'
import { randomText } from './random.js'
import type { Kinds, ProtocolSpec, RequestOf, ResponseOf } from './spec.js'
import { deliveredElsewhere } from '../../log.js'

export interface SessionInit {
  privateKey: PrivateKey
  selfId: string
  /** Per-request timeout (also the request's `expires`). @default 15_000 */
  timeoutMs?: number
  maxFrameBytes?: number
  signal?: AbortSignal
}

/**
 * A client stream for one protocol to one peer. Requests go one at a time; the stream is reused
 * until closed or until an error leaves it in an unknown state (then every later call fails fast).
 */
export class RpcSession<K extends Kinds> {
  readonly peer: string
  readonly #spec: ProtocolSpec<K>
  readonly #stream: Stream
  readonly #lp: LengthPrefixedStream
  readonly #init: SessionInit
  #queue: Promise<unknown> = Promise.resolve()
  #broken: SecondMeError | undefined
  /** Closed by its owner; the error is only made if the session is used again (an Error is not cheap). */
  #closed = false
  /** Aborts the stream's pending I/O: on close, on the node's shutdown, or when a request times out. */
  readonly #live = new AbortController()
  readonly #onShutdown = (): void => { this.#live.abort() }
  /** The per-request timeout: one timer for the session, armed while a request is in flight. */
  readonly #watchdog: Watchdog
  #timedOut = false

  private constructor (spec: ProtocolSpec<K>, peer: string, stream: Stream, init: SessionInit) {
    this.#spec = spec
    this.peer = peer
    this.#stream = stream
    this.#lp = lpStream(stream, { maxDataLength: init.maxFrameBytes ?? MAX_FRAME_BYTES })
    this.#init = init
    this.#watchdog = new Watchdog(init.timeoutMs ?? 15_000, () => { this.#timedOut = true; this.#live.abort() })
    init.signal?.addEventListener('abort', this.#onShutdown, { once: true })
  }

  static async open<K extends Kinds> (libp2p: Libp2p, peer: PeerId, spec: ProtocolSpec<K>, init: SessionInit): Promise<RpcSession<K>> {
    try {
      const stream = await withDeadline(init.timeoutMs ?? 15_000, init.signal, async (signal) => await openStream(libp2p, peer, spec.id, signal))
      return new RpcSession(spec, peer.toString(), stream, init)
    } catch (err) {
      throw dialError(err, spec.id, peer.toString())
    }
  }

  /** Send one request and wait for its checked response body. */
  async request<N extends keyof K & string> (kind: N, body: RequestOf<K, N>, options: { signal?: AbortSignal } = {}): Promise<ResponseOf<K, N>> {
    const run = this.#queue.then(async () => await this.#exchange(kind, body, options.signal))
    this.#queue = run.catch(deliveredElsewhere)
    return await run
  }

  async close (): Promise<void> {
    this.#closed = true
    this.#watchdog.stop()
    this.#init.signal?.removeEventListener('abort', this.#onShutdown)
    await withDeadline(2_000, undefined, async (signal) => { await this.#stream.close({ signal }) }).catch(() => { this.#stream.abort(new Error('close failed')) })
  }

  async #exchange<N extends keyof K & string> (kind: N, body: RequestOf<K, N>, outer?: AbortSignal): Promise<ResponseOf<K, N>> {
    if (this.#broken !== undefined) throw this.#broken
    if (this.#closed) throw new StorageError('E_CLOSED', 'session is closed')
    const timeoutMs = this.#init.timeoutMs ?? 15_000
    const frame = await this.#frame(kind, body, timeoutMs)
    // A timed-out or aborted request leaves the stream out of step, so it ends the session.
    this.#timedOut = false
    this.#watchdog.arm()
    const onOuter = (): void => { this.#timedOut = true; this.#live.abort() }
    outer?.addEventListener('abort', onOuter, { once: true })
    let data
    try {
      const signal = this.#live.signal
      await this.#lp.write(encodeFrame(frame, this.#init.maxFrameBytes), { signal })
      data = await this.#lp.read({ signal })
    } catch (err) {
      throw this.#fail(err instanceof SecondMeError ? err : transportError(err, this.#timedOut))
    } finally {
      this.#watchdog.disarm()
      outer?.removeEventListener('abort', onOuter)
    }
    return await this.#check(kind, frame.id, data)
  }

  async #frame (kind: string, body: unknown, timeoutMs: number): Promise<RequestFrame> {
    const created = Date.now()
    const frame = {
      v: WIRE_VERSION, t: 'req' as const, id: randomText(9), kind,
      from: this.#init.selfId, created, expires: created + timeoutMs, nonce: randomText(16), body
    }
    return this.#spec.signed ? await signFrame<RequestFrame>(this.#init.privateKey, frame) : frame
  }

  async #check<N extends keyof K & string> (kind: N, id: string, data: Parameters<typeof decodeFrame>[0]): Promise<ResponseOf<K, N>> {
    let reply
    try {
      reply = decodeFrame(data)
    } catch (err) {
      throw this.#fail(err as SecondMeError)
    }
    if (reply.t === 'err') {
      // A null id means the peer could not read our frame: the stream is no longer in step.
      if (reply.id === null) this.#fail(errorFromFrame(reply))
      throw errorFromFrame(reply)
    }
    if (reply.t !== 'res' || reply.id !== id || reply.from !== this.peer) throw this.#fail(new NetworkError('E_BAD_MESSAGE', 'response does not answer the request'))
    if (this.#spec.signed && !await verifyFrame(this.peer, reply)) throw this.#fail(new NetworkError('E_BAD_MESSAGE', 'response signature does not verify'))
    const spec = this.#spec.kinds[kind]
    const parsed = spec === undefined ? undefined : spec.response.safeParse(reply.body)
    if (parsed === undefined || !parsed.success) throw new NetworkError('E_BAD_MESSAGE', `bad ${kind} response: ${describeIssue(parsed?.error.issues[0])}`)
    return parsed.data as ResponseOf<K, N>
  }

  #fail (err: SecondMeError): SecondMeError {
    this.#broken ??= err
    this.#watchdog.stop()
    this.#init.signal?.removeEventListener('abort', this.#onShutdown)
    this.#stream.abort(err)
    return err
  }
}

/** Tries at opening a stream when the connection it was to use closed under it. */
const OPEN_ATTEMPTS = 3
const LOST_CONNECTION = new Set(['ConnectionClosedError', 'ConnectionClosingError', 'StreamResetError', 'StreamStateError', 'InvalidMultiaddrError', 'UnexpectedEOFError'])

/**
 * Open a protocol stream on the best open connection to `peer`, dialling only when there is none.
 * libp2p's own dial never reuses a relayed connection (the relay limits it, so libp2p looks for an
 * unlimited one): every stream would open a new circuit through the relay, and the peer's libp2p
 * refuses more than 5 new connections a second from one host, which for relayed connections is the
 * relay. Two peers behind NAT also often dial each other through the relay at once; libp2p keeps one
 * of the two circuits (they share a remote address) and aborts the other, and a caller whose dial
 * joined the aborted one gets "Remote closed connection during opening". The surviving connection is
 * registered by then, so trying again uses it; nothing was sent yet, so that is safe.
 */
async function openStream (libp2p: Libp2p, peer: PeerId, protocol: string, signal: AbortSignal): Promise<Stream> {
  // A connection the peer is closing (it hung up) still looks open for a moment: not again.
  const failed = new Set<string>()
  for (let attempt = 1; ; attempt++) {
    const open = bestConnection(libp2p.getConnections(peer).filter(c => !failed.has(c.id)))
    try {
      const options = { signal, runOnLimitedConnection: true }
      return open === undefined ? await libp2p.dialProtocol(peer, protocol, options) : await open.newStream(protocol, options)
    } catch (err) {
      if (open !== undefined) failed.add(open.id)
      if (attempt >= OPEN_ATTEMPTS || signal.aborted || !(err instanceof Error) || !LOST_CONNECTION.has(err.name)) throw err
      await new Promise(resolve => setTimeout(resolve, 50 * attempt))
    }
  }
}

/** An open connection, unlimited (direct, or an unlimited relay) before limited (relayed) ones. */
function bestConnection (connections: readonly Connection[]): Connection | undefined {
  const open = connections.filter(c => c.status === 'open')
  return open.find(c => c.limits === undefined) ?? open[0]
}

function transportError (err: unknown, timedOut: boolean): SecondMeError {
  if (timedOut) return new NetworkError('E_TIMEOUT', 'the peer did not answer in time', { cause: err })
  if (err instanceof Error && err.name === 'InvalidDataLengthError') return new NetworkError('E_FRAME_TOO_LARGE', 'the peer sent a frame that is too large', { cause: err })
  return new NetworkError('E_PEER_UNREACHABLE', `the stream to the peer failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}

function dialError (err: unknown, protocol: string, peer: string): SecondMeError {
  if (err instanceof Error && err.name === 'UnsupportedProtocolError') {
    return new NetworkError('E_UNSUPPORTED_VERSION', `${peer} does not speak ${protocol}`, { cause: err })
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new NetworkError('E_TIMEOUT', `dialling ${peer} timed out`, { cause: err })
  }
  return new NetworkError('E_PEER_UNREACHABLE', `cannot open ${protocol} to ${peer}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
