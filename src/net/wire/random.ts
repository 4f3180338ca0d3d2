import { randomFillSync } from 'node:crypto'

// Every request takes a fresh id and nonce. randomBytes() per value costs a few microseconds (a new
// buffer and a call into the CSPRNG each time), a visible share of a small request, so they are cut
// from a pool refilled from the same CSPRNG 4 KiB at a time. No byte of the pool is handed out twice.

const POOL = Buffer.alloc(4096)
let next = POOL.length

/** `bytes` fresh random bytes as base64url text. */
export function randomText (bytes: number): string {
  if (bytes > POOL.length) throw new RangeError('randomText: too many bytes')
  if (next + bytes > POOL.length) {
    randomFillSync(POOL)
    next = 0
  }
  const text = POOL.toString('base64url', next, next + bytes)
  next += bytes
  return text
}
