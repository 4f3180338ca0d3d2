import { readdir, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { InputError } from '../errors.js'

export interface FileEntry {
  path: string
  /** Named on the command line (not found by walking a folder): any problem with it is an error. */
  named: boolean
}

/**
 * Files named on the command line, and every file under the folders named (sorted). Hidden files and
 * folders (.git, .obsidian, .DS_Store) are not the owner's content and are left out.
 */
export async function listFiles (paths: string[]): Promise<FileEntry[]> {
  const out = new Map<string, FileEntry>()
  for (const p of paths) {
    const abs = resolve(p)
    let info
    try {
      info = await stat(abs)
    } catch {
      throw new InputError('E_FILE_NOT_FOUND', `${p}: no such file or folder`)
    }
    if (!info.isDirectory()) {
      out.set(abs, { path: abs, named: true })
      continue
    }
    const entries = await readdir(abs, { recursive: true, withFileTypes: true })
    const found = entries.filter(e => e.isFile()).map(e => join(e.parentPath, e.name))
      .filter(f => !relative(abs, f).split(sep).some(part => part.startsWith('.'))).sort()
    for (const f of found) if (!out.has(f)) out.set(f, { path: f, named: false })
  }
  return [...out.values()]
}
