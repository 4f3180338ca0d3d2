import { NetworkError } from '../../errors.js'
import { deadlineExceeded, Watchdog } from '../deadline.js'
import type { RequestContext } from './spec.js'
import { errText, log } from '../../log.js'

const logClock = log('net:wire')

// The deadline of the request a stream is handling (a stream handles one at a time). One watchdog
// per stream times every request, and the stream's end stops the current one. A request gets its own
// AbortSignal only if its handler reads ctx.signal: making one per request (AbortController, timer,
// listeners) cost more than the rest of the wire layer's work on a small request.

const timedOut = (): NetworkError => new NetworkError('E_TIMEOUT', 'request handling timed out')

/** One request: its context for the handler, and whether its time is up. */
export class RequestScope implements RequestContext {
  readonly peer: string
  readonly kind: string
  #controller: AbortController | undefined
  #expired = false
  #reason: unknown
  #reject: ((err: Error) => void) | undefined

  constructor (peer: string, kind: string) {
    this.peer = peer
    this.kind = kind
  }

  /** Aborts when the request's time is up or the stream ends; stays with this request only. */
  get signal (): AbortSignal {
    this.#controller ??= new AbortController()
    if (this.#expired && !this.#controller.signal.aborted) this.#controller.abort(this.#reason)
    return this.#controller.signal
  }

  expire (reason: unknown): void {
    if (this.#expired) return
    this.#expired = true
    this.#reason = reason
    this.#controller?.abort(reason)
    this.#reject?.(timedOut())
  }

  /** `work`'s outcome, or E_TIMEOUT if the request's time is up first. */
  async race<T> (work: Promise<T>): Promise<T> {
    if (this.#expired) {
      // The caller gets E_TIMEOUT; the late work's own failure is only worth a log line.
      work.catch((err: unknown) => { logClock('work after its deadline failed: %s', errText(err)) })
      throw timedOut()
    }
    return await new Promise<T>((resolve, reject) => {
      this.#reject = reject
      work.then(resolve, reject)
    })
  }
}

export class HandlerClock {
  readonly #live: AbortSignal
  readonly #watchdog: Watchdog
  #current: RequestScope | undefined
  readonly #onLive = (): void => { this.#current?.expire(this.#live.reason) }

  constructor (ms: number, live: AbortSignal) {
    this.#live = live
    this.#watchdog = new Watchdog(ms, () => { this.#current?.expire(deadlineExceeded()) })
    live.addEventListener('abort', this.#onLive, { once: true })
  }

  begin (peer: string, kind: string): RequestScope {
    const scope = new RequestScope(peer, kind)
    this.#current = scope
    if (this.#live.aborted) scope.expire(this.#live.reason)
    else this.#watchdog.arm()
    return scope
  }

  end (): void {
    this.#current = undefined
    this.#watchdog.disarm()
  }

  stop (): void {
    this.end()
    this.#watchdog.stop()
    this.#live.removeEventListener('abort', this.#onLive)
  }
}
