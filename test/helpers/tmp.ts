import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** A fresh temp dir per test, removed afterwards. */
export async function tempDir (prefix = 'secondme-test-'): Promise<{ path: string, [Symbol.asyncDispose]: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, [Symbol.asyncDispose]: async () => { await rm(path, { recursive: true, force: true }) } }
}

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..')
export const SHARED = resolve(REPO_ROOT, '..', 'shared')

/** Cheap scrypt for tests that create many homes; production uses DEFAULT_KDF. */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 }
