import { RandomPool } from '../../util/random-pool.js'

// Every request takes a fresh id and nonce; cutting them from a pool keeps the CSPRNG call off
// the per-request path.
const pool = new RandomPool(4096)

/** `bytes` fresh random bytes as base64url text. */
export function randomText (bytes: number): string {
  return pool.take(bytes).toString('base64url')
}
