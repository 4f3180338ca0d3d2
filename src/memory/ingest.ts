import { createHash } from 'node:crypto'
import type { ProgressEvent } from '../api/op.js'
import { expandPaths, parseFile } from './parsers/index.js'
import type { IngestResult, ParsedItem } from './types.js'

export interface IngestOptions {
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Embed the new items before returning (when an embedder is configured). @default true */
  embed?: boolean
}

export interface IngestSink {
  sourceExists: (key: string) => Promise<{ items: string[] } | undefined>
  /** Write one source atomically; returns how many of its items were new. */
  write: (key: string, source: string, items: ParsedItem[]) => Promise<{ added: number, skipped: number }>
}

/**
 * Parse every file first (a bad file fails the call before anything is written), then write each
 * file in one vault batch. A source already ingested with identical content is skipped whole.
 */
export async function ingestFiles (paths: string[], options: IngestOptions, sink: IngestSink): Promise<IngestResult> {
  const files = await expandPaths(paths)
  const parsed: Array<{ path: string, key: string, items: ParsedItem[] }> = []
  for (const [i, path] of files.entries()) {
    options.signal?.throwIfAborted()
    const source = await parseFile(path)
    const key = createHash('sha256').update(path).update('\0').update(source.content).digest('hex').slice(0, 32)
    parsed.push({ path, key, items: source.items })
    options.onProgress?.({ phase: 'parsing', done: i + 1, total: files.length })
  }
  const result: IngestResult = { files: files.length, added: 0, skipped: 0 }
  for (const [i, file] of parsed.entries()) {
    options.signal?.throwIfAborted()
    const known = await sink.sourceExists(file.key)
    if (known !== undefined) result.skipped += file.items.length
    else {
      const { added, skipped } = await sink.write(file.key, file.path, file.items)
      result.added += added
      result.skipped += skipped
    }
    options.onProgress?.({ phase: 'ingesting', done: i + 1, total: parsed.length, detail: file.path })
  }
  return result
}
