import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { InputError } from '../../errors.js'

/** A file name safe to write: its base name, ordinary characters only, extension kept for detection. */
export function safeName (name: string): string {
  const base = basename(name).replace(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(-120)
  if (base === '') throw new InputError('E_BAD_INPUT', 'an upload needs a file name')
  return base
}

/**
 * Write the request body to a private temp file in the home, ingest it through the `ingest` op,
 * and remove the plaintext copy: what stays is in the encrypted vault.
 */
export async function receiveUpload (req: Request, dir: string, ingestFile: (path: string) => Promise<unknown>): Promise<unknown> {
  const name = safeName(new URL(req.url).searchParams.get('name') ?? '')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const sub = join(dir, randomBytes(8).toString('hex'))
  await mkdir(sub, { mode: 0o700 })
  const path = join(sub, name)
  try {
    await writeFile(path, new Uint8Array(await req.arrayBuffer()), { mode: 0o600 })
    return await ingestFile(path)
  } finally {
    await rm(sub, { recursive: true, force: true })
  }
}
