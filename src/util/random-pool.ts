import { randomBytes } from 'node:crypto'

/**
 * Fresh CSPRNG bytes cut from a pool refilled `size` bytes at a time: a randomBytes() call per small
 * value (an IV, a nonce) costs as much as the work it protects. No byte is handed out twice, and a
 * refill takes a new buffer, so a slice handed out earlier never changes under its holder.
 */
export class RandomPool {
  readonly size: number
  #pool = Buffer.alloc(0)
  #offset = 0

  constructor (size: number) {
    this.size = size
  }

  take (bytes: number): Buffer {
    if (bytes > this.size) throw new RangeError(`RandomPool: ${bytes} bytes requested from a pool of ${this.size}`)
    if (this.#offset + bytes > this.#pool.length) {
      this.#pool = randomBytes(this.size)
      this.#offset = 0
    }
    const out = this.#pool.subarray(this.#offset, this.#offset + bytes)
    this.#offset += bytes
    return out
  }
}
