import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageError } from '../errors.js'

// The owner's bearer token for the HTTP doors (/api, /v1, /mcp): random, stored 0600 in the home.
// It is the owner's key to the running node, so it is never logged and never sent anywhere.

export function tokenPath (homeRoot: string): string {
  return join(homeRoot, 'http-token')
}

function newToken (): string {
  return 'smt_' + randomBytes(32).toString('base64url')
}

async function writeToken (path: string, token: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, token + '\n', { mode: 0o600 })
  await rename(tmp, path)
}

/** The token, created on first use. */
export async function readOrCreateToken (homeRoot: string): Promise<string> {
  const path = tokenPath(homeRoot)
  try {
    const text = (await readFile(path, 'utf8')).trim()
    if (text.length >= 32) return text
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new StorageError('E_CORRUPT', `cannot read ${path}`, { cause: err })
  }
  const token = newToken()
  await writeToken(path, token)
  return token
}

/** Replace the token; a running server picks the new one up within a second. */
export async function rotateToken (homeRoot: string): Promise<string> {
  const token = newToken()
  await writeToken(tokenPath(homeRoot), token)
  return token
}

/**
 * The current token of a home as the server sees it: cached, re-read when the file changed
 * (checked at most once a second, so `secondme token --rotate` takes effect without a restart).
 */
export class TokenSource {
  readonly #root: string
  #token: string | undefined
  /** The current token's bytes, made once per token rather than on every request. */
  #bytes: Buffer | undefined
  #bytesOf: string | undefined
  #mtimeMs = -1
  #checkedAt = 0

  constructor (homeRoot: string) {
    this.#root = homeRoot
  }

  async current (): Promise<string> {
    const now = Date.now()
    if (this.#token !== undefined && now - this.#checkedAt < 1000) return this.#token
    this.#checkedAt = now
    const mtime = await stat(tokenPath(this.#root)).then(s => s.mtimeMs, () => -1)
    if (this.#token === undefined || mtime !== this.#mtimeMs) {
      this.#token = await readOrCreateToken(this.#root)
      this.#mtimeMs = await stat(tokenPath(this.#root)).then(s => s.mtimeMs, () => -1)
    }
    return this.#token
  }

  async check (given: string): Promise<boolean> {
    const token = await this.current()
    if (this.#bytes === undefined || this.#bytesOf !== token) {
      this.#bytes = Buffer.from(token)
      this.#bytesOf = token
    }
    // A generated token's length is no secret (a prefix and 32 random bytes): another length is
    // simply wrong, and equal lengths are compared in constant time.
    const bytes = Buffer.from(given)
    return bytes.length === this.#bytes.length && timingSafeEqual(bytes, this.#bytes)
  }
}
