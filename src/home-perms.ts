import { chmod, lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { HomePaths } from './home.js'
import { errText, log } from './log.js'

const logHome = log('home')

// A home holds a sealed key, an encrypted vault and an audit trail: nobody but the owner should
// even list it. Folders 0700, files 0600, tightened each time the home opens (a home copied,
// restored or created under a loose umask is fixed the next time it is used). Symlinks are left
// alone (chmod would follow them out of the home).

const DIR_MODE = 0o700
const FILE_MODE = 0o600

export async function tightenHome (paths: HomePaths): Promise<void> {
  await tighten(paths.root, DIR_MODE)
  for (const dir of [paths.keysDir, paths.vaultDir]) {
    if (!await tighten(dir, DIR_MODE)) continue
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile()) await tighten(join(dir, entry.name), FILE_MODE)
    }
  }
  for (const file of [paths.config, paths.auditAnchor]) await tighten(file, FILE_MODE)
}

/** chmod unless already as tight; false when the path does not exist. Not ours to fix: skip. */
async function tighten (path: string, mode: number): Promise<boolean> {
  let info
  try {
    info = await lstat(path)
  } catch {
    return false
  }
  if (info.isSymbolicLink()) return false
  if ((info.mode & 0o777 & ~mode) !== 0) await chmod(path, mode).catch((err: unknown) => { logHome.error('cannot tighten %s: %s', path, errText(err)) })
  return true
}
