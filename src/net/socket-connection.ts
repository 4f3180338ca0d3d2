import type { Socket } from 'node:net'
import type { AbortOptions, Logger, MessageStreamDirection, MultiaddrConnection } from '@libp2p/interface'
import { AbstractMultiaddrConnection } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'

// A TCP socket we opened ourselves (a hole punch, see punch.ts) as a libp2p MultiaddrConnection, so
// libp2p's upgrader can run noise and yamux on it like on any dialled socket. libp2p's TCP transport
// has the same adapter but does not export it; this one follows it.

class PunchedSocketConnection extends AbstractMultiaddrConnection {
  readonly #socket: Socket

  constructor (socket: Socket, remoteAddr: Multiaddr, direction: MessageStreamDirection, log: Logger) {
    super({ remoteAddr, direction, log, inactivityTimeout: 2 * 60_000 })
    this.#socket = socket
    // As libp2p's TCP transport: small frames (yamux headers, acks) must not wait for Nagle.
    socket.setNoDelay(true)
    socket.on('data', (buf: Buffer) => { this.onData(buf) })
    socket.on('error', (err) => { this.abort(err) })
    socket.setTimeout(2 * 60_000)
    socket.once('timeout', () => { this.abort(new Error('punched TCP connection idle for 2 minutes')) })
    socket.once('end', () => { this.onTransportClosed() })
    socket.once('close', (hadError) => {
      if (hadError) this.abort(new Error('TCP transmission error'))
      else this.onTransportClosed()
    })
    socket.on('drain', () => { this.safeDispatchEvent('drain') })
  }

  sendData (data: Parameters<AbstractMultiaddrConnection['sendData']>[0]): ReturnType<AbstractMultiaddrConnection['sendData']> {
    let sentBytes = 0
    let canSendMore = true
    for (const buf of data) {
      sentBytes += buf.byteLength
      canSendMore = this.#socket.write(buf)
      if (!canSendMore) break
    }
    return { sentBytes, canSendMore }
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    if (this.#socket.destroyed) return
    const closed = new Promise<void>(resolve => this.#socket.once('close', () => { resolve() }))
    this.#socket.destroySoon()
    await (options?.signal === undefined ? closed : Promise.race([closed, new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => { resolve() }, { once: true }))]))
  }

  sendReset (): void {
    if (this.#socket.writableEnded) this.#socket.destroy()
    else this.#socket.resetAndDestroy()
  }

  sendPause (): void {
    this.#socket.pause()
  }

  sendResume (): void {
    this.#socket.resume()
  }
}

/**
 * `direction` decides the roles on top (yamux client or server): both ends of a simultaneous open
 * dialled, so one of them must call itself 'inbound'.
 */
export function socketConnection (socket: Socket, remoteAddr: Multiaddr, direction: MessageStreamDirection, log: Logger): MultiaddrConnection {
  return new PunchedSocketConnection(socket, remoteAddr, direction, log)
}
