import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ProgressEvent } from '../progress.js'
import { InputError, type CodeOf, type ErrorCode } from '../errors.js'
import { detectFormat, streamSource, type Owner, type ParseContext } from './parsers/index.js'
import type { FileReport, IngestResult, ParsedItem, SourceFormat } from './types.js'
import { listFiles, type FileEntry } from './walk.js'

export interface IngestOptions {
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Embed the new items before returning (when an embedder is configured). @default true */
  embed?: boolean
  /** Any file that would be skipped fails the call, before anything is written. @default false */
  strict?: boolean
}

export interface IngestSink {
  owner: Owner
  maxFileBytes: number
  calendarDays: { past: number, future: number }
  sourceExists: (key: string) => Promise<{ items: string[] } | undefined>
  /**
   * Write one source as its items are parsed, in chunks, all or nothing: a failure, abort or kill
   * rolls back the chunks already written. Returns how many of its items were new and how many
   * known (both 0: it had none).
   */
  write: (key: string, source: string, items: AsyncIterable<ParsedItem>) => Promise<{ added: number, known: number }>
}

interface Plan { file: FileEntry, format?: SourceFormat, code?: CodeOf<'input'>, reason?: string, size: number, mtime?: Date }

/** Large files report read progress in MiB (a bar for a several-hundred-MB export). */
const PROGRESS_BYTES = 8 * 1024 * 1024
const MIB = 1024 * 1024

/**
 * Folder and file ingest, one file at a time: check (size, readable, format by content) → already
 * known? → parse → one atomic vault write per file. Files named on the command line and `strict`
 * runs fail on the first problem before anything is written; files found in folders are skipped
 * with a reason in the summary.
 */
export async function ingestFiles (paths: string[], options: IngestOptions, sink: IngestSink): Promise<IngestResult> {
  const plans = await Promise.all((await listFiles(paths)).map(async f => await check(f, sink.maxFileBytes)))
  for (const plan of plans) if (plan.format === undefined && (plan.file.named || options.strict === true)) throw failure(plan)
  // A file whose failure is an error is parsed before anything is written, so the error changes nothing.
  const mustPass = plans.filter(p => p.file.named || options.strict === true)
  if (mustPass.length > 0 && plans.length > 1) await validateAll(mustPass, options, sink)
  const result: IngestResult = { files: plans.length, added: 0, known: 0, skipped: 0, reports: [] }
  for (const [i, plan] of plans.entries()) {
    options.signal?.throwIfAborted()
    const report = await ingestOne(plan, options, sink)
    result.reports.push(report)
    result.added += report.added
    result.known += report.known
    if (report.status === 'skipped') result.skipped++
    options.onProgress?.({ phase: 'ingesting', done: i + 1, total: plans.length, detail: plan.file.path })
  }
  return result
}

async function ingestOne (plan: Plan, options: IngestOptions, sink: IngestSink): Promise<FileReport> {
  const { path } = plan.file
  if (plan.format === undefined) return { path, status: 'skipped', added: 0, known: 0, ...codeAndReason(plan) }
  try {
    const key = await sourceKey(path, options.signal)
    const known = await sink.sourceExists(key)
    if (known !== undefined) return { path, format: plan.format, status: 'known', added: 0, known: known.items.length }
    const { added, known: already } = await sink.write(key, path, streamSource(plan.format, context(plan, options, sink)))
    if (added + already === 0) throw new InputError('E_NO_TEXT', `${path}: nothing to ingest (no ${plan.format} items with text)`)
    return { path, format: plan.format, status: added === 0 ? 'known' : 'ingested', added, known: already }
  } catch (err) {
    options.signal?.throwIfAborted()
    const problem = asInputError(err, path)
    if (plan.file.named || options.strict === true) throw problem
    return { path, format: plan.format, status: 'skipped', added: 0, known: 0, code: problem.code, reason: problem.message }
  }
}

/** Parse the files that must not fail (named ones; all with --strict) first, writing nothing. */
async function validateAll (plans: Plan[], options: IngestOptions, sink: IngestSink): Promise<void> {
  for (const [i, plan] of plans.entries()) {
    if (plan.format === undefined) continue
    try {
      // Read through and dropped: a large export is checked without being held in memory.
      for await (const item of streamSource(plan.format, context(plan, options, sink))) void item
    } catch (err) {
      options.signal?.throwIfAborted()
      throw asInputError(err, plan.file.path)
    }
    options.onProgress?.({ phase: 'checking', done: i + 1, total: plans.length, detail: plan.file.path })
  }
}

async function check (file: FileEntry, maxBytes: number): Promise<Plan> {
  let size = 0
  try {
    const info = await stat(file.path)
    size = info.size
    if (size > maxBytes) return { file, size, code: 'E_FILE_TOO_LARGE', reason: `too large: ${mib(size)} MiB > limit ${mib(maxBytes)} MiB (config memory.maxFileBytes)` }
    const detected = await detectFormat(file.path)
    return detected.format === undefined ? { file, size, code: 'E_UNSUPPORTED_FORMAT', reason: `unsupported: ${detected.reason}` } : { file, size, format: detected.format, mtime: info.mtime }
  } catch (err) {
    return { file, size, code: 'E_UNREADABLE_FILE', reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }
  }
}

function context (plan: Plan, options: IngestOptions, sink: IngestSink): ParseContext {
  const { path } = plan.file
  const onProgress = options.onProgress
  const large = plan.size >= PROGRESS_BYTES && onProgress !== undefined
  return {
    path, owner: sink.owner, now: Date.now(), calendarDays: sink.calendarDays, mtime: (plan.mtime ?? new Date()).toISOString(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(large ? { onBytes: (done: number) => { onProgress({ phase: 'reading', done: Math.floor(done / MIB), total: Math.ceil(plan.size / MIB), detail: `MiB ${path}` }) } } : {})
  }
}

/** The source record's key: the path and a hash of the content, streamed (files may be large). */
async function sourceKey (path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256').update(path).update('\0')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, ...(signal === undefined ? {} : { signal }) })) hash.update(chunk as Buffer)
  return hash.digest('hex').slice(0, 32)
}

function asInputError (err: unknown, path: string): InputError {
  if (err instanceof InputError) return err
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new InputError('E_UNREADABLE_FILE', `${path}: unreadable (${code})`, { cause: err })
  return new InputError('E_MALFORMED_FILE', `${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}

function failure (plan: Plan): InputError {
  return new InputError(plan.code ?? 'E_UNSUPPORTED_FORMAT', `${plan.file.path}: ${plan.reason ?? 'unsupported'}`)
}

function codeAndReason (plan: Plan): { code: ErrorCode, reason: string } {
  return { code: plan.code ?? 'E_UNSUPPORTED_FORMAT', reason: plan.reason ?? 'unsupported' }
}

function mib (bytes: number): string {
  return (bytes / MIB).toFixed(bytes < MIB ? 3 : 0)
}
