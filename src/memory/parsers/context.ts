import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { InputError } from '../../errors.js'
import type { ParsedItem } from '../types.js'

/** Who the owner is in a source: their speaker name, and the names/addresses/handles they appear under. */
export class Owner {
  readonly name: string
  readonly #aliases: Set<string>

  constructor (name: string | undefined, aliases: readonly string[] = []) {
    this.name = name ?? 'me'
    this.#aliases = new Set([this.name, ...aliases].map(a => a.trim().toLowerCase()).filter(a => a !== ''))
  }

  /** True when a sender's name, address or handle is one of the owner's. */
  is (...names: Array<string | undefined>): boolean {
    return names.some(n => n !== undefined && this.#aliases.has(n.trim().toLowerCase()))
  }

  /** The speaker to store: the owner's name for the owner, the source's own name for others. */
  speaker (name: string, isOwner = this.is(name)): string {
    return isOwner ? this.name : name
  }
}

export interface ParseContext {
  path: string
  /** The file's modification time: the time of items whose source has none of its own. */
  mtime: string
  owner: Owner
  /** Ingest time in ms (calendar recurrences expand around it). */
  now: number
  calendarDays: { past: number, future: number }
  signal?: AbortSignal
  /** Bytes of the file read so far, for a progress bar on large files. */
  onBytes?: (done: number) => void
  /**
   * The file's content when it is already in memory (the fuzzer feeds ~100k inputs a parser this
   * way: no temp file per case); `path` then only names the source.
   */
  bytes?: Uint8Array
}

export type Parser = (ctx: ParseContext) => Promise<ParsedItem[]>

/** A read stream of the file that reports its progress and stops on abort. */
export function readBytes (ctx: ParseContext): Readable {
  const stream = ctx.bytes !== undefined ? Readable.from([Buffer.from(ctx.bytes)]) : createReadStream(ctx.path, { highWaterMark: 1 << 20, ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) })
  let done = 0
  stream.on('data', (chunk: Buffer) => {
    done += chunk.length
    ctx.onBytes?.(done)
  })
  return stream
}

/** The whole file as text (formats that are small by nature: a chat, a note, a calendar). */
export async function readText (ctx: ParseContext): Promise<string> {
  const chunks: Buffer[] = []
  if (ctx.bytes !== undefined) chunks.push(Buffer.from(ctx.bytes))
  else for await (const chunk of readBytes(ctx)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '')
}

export function malformed (ctx: ParseContext, what: string, cause?: unknown): InputError {
  const detail = cause instanceof Error ? ` (${cause.message})` : ''
  return new InputError('E_MALFORMED_FILE', `${ctx.path}: ${what}${detail}`, cause === undefined ? {} : { cause })
}

/** Seconds (ChatGPT, Telegram unixtime) or ms or an ISO string → ISO string; undefined when unknown. */
export function isoTime (value: number | string | Date | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : Date.parse(value)
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined
}
