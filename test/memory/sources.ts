import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { detectFormat, Owner, parseSource } from '../../src/memory/parsers/index.js'
import type { ParsedItem, SourceFormat } from '../../src/memory/types.js'

export const SOURCES = join(import.meta.dirname, '..', 'fixtures', 'sources')

/** Detect a file's format by content and parse it as ingest would, with the given owner. */
export async function parsePath (path: string, owner = 'Robin', aliases: string[] = [], now = Date.UTC(2024, 4, 1)): Promise<{ format: SourceFormat, items: ParsedItem[] }> {
  const detected = await detectFormat(path)
  if (detected.format === undefined) throw new Error(`not detected: ${detected.reason}`)
  const items = await parseSource(detected.format, {
    path, owner: new Owner(owner, aliases), now, calendarDays: { past: 30, future: 60 }, mtime: (await stat(path)).mtime.toISOString()
  })
  return { format: detected.format, items }
}
