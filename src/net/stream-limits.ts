import { setMaxListeners } from 'node:events'

// Bounds on what one peer can make this node hold open. Three layers:
//  - per connection, all protocols together: the muxer refuses inbound streams past YAMUX_LIMITS
//    (yamux's default is 1,000 per connection);
//  - per connection and protocol: libp2p's registrar (`handle(…, PROTOCOL_STREAM_LIMITS)`);
//  - per peer, across all its connections: PeerStreamGate, because a peer may open several
//    connections and the two limits above are per connection.
// Each open stream of ours listens on the node's shutdown signal once; that signal's listener
// limit is set from these caps so a busy node neither leaks nor prints MaxListenersExceededWarning.

/** Streams one connection may open to us at once, all protocols together. */
export const MAX_INBOUND_STREAMS_PER_CONNECTION = 128
/** Streams of one /secondme/* protocol one connection may have open at once. */
export const MAX_PROTOCOL_STREAMS_PER_CONNECTION = 32
/** Streams of the /secondme/* protocols one peer may have open at once, across its connections. */
export const MAX_STREAMS_PER_PEER = 64
/** Connections we accept at once; with the per-peer cap this bounds every per-stream listener. */
export const MAX_CONNECTIONS = 300

export const YAMUX_LIMITS = {
  maxInboundStreams: MAX_INBOUND_STREAMS_PER_CONNECTION,
  maxOutboundStreams: MAX_INBOUND_STREAMS_PER_CONNECTION
} as const

export const PROTOCOL_STREAM_LIMITS = {
  maxInboundStreams: MAX_PROTOCOL_STREAMS_PER_CONNECTION,
  maxOutboundStreams: MAX_PROTOCOL_STREAMS_PER_CONNECTION
} as const

/** Counts each peer's open streams of our protocols; refuses past the cap. */
export class PeerStreamGate {
  readonly #open = new Map<string, number>()
  readonly #max: number
  refused = 0

  constructor (max = MAX_STREAMS_PER_PEER) {
    this.#max = max
  }

  /** Take a slot for `peer`: false (and nothing held) when the peer is at its cap. */
  enter (peer: string): boolean {
    const n = this.#open.get(peer) ?? 0
    if (n >= this.#max) {
      this.refused++
      return false
    }
    this.#open.set(peer, n + 1)
    return true
  }

  leave (peer: string): void {
    const n = (this.#open.get(peer) ?? 1) - 1
    if (n <= 0) this.#open.delete(peer)
    else this.#open.set(peer, n)
  }

  open (peer: string): number {
    return this.#open.get(peer) ?? 0
  }
}

/** The shutdown signal gets one listener per open stream: allow exactly as many as the caps permit. */
export function boundShutdownListeners (signal: AbortSignal, protocols: number): void {
  setMaxListeners(MAX_CONNECTIONS * Math.min(MAX_STREAMS_PER_PEER, protocols * MAX_PROTOCOL_STREAMS_PER_CONNECTION) + 64, signal)
}
