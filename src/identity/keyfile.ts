import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { StorageError } from '../errors.js'
import { parseSealed, type Sealed } from './seal.js'

/** Write the sealed keyring atomically (temp file, fsync, rename) with mode 0600. */
export async function writeKeyring (path: string, sealed: Sealed): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  const handle = await open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(JSON.stringify(sealed, null, 2) + '\n')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await chmod(tmp, 0o600)
  await rename(tmp, path)
}

export async function readKeyring (path: string): Promise<Sealed> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StorageError('E_NO_HOME', `no key file at ${path}: run \`secondme init\` first`, { cause: err })
    }
    throw new StorageError('E_CORRUPT', `cannot read key file ${path}`, { cause: err })
  }
  return parseSealed(text, path)
}
