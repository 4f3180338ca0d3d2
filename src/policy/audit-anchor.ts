import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import type { Identity } from '../identity/index.js'
import { verifyJson } from '../identity/index.js'

// The audit chain's head kept OUTSIDE the LevelDB batch it covers. LevelDB silently drops a corrupt
// or truncated tail of its write-ahead log on open, and the in-vault head record rolls back with the
// entries it describes; this file does not. It is signed with the node key (so it cannot be forged
// without the passphrase) and fsynced after every audit batch. `verify()` demands that the log
// reaches the anchored entry with the anchored hash: losing, truncating or reordering the newest
// entries is then detected. The anchor may lag the log (a crash between the LevelDB write and the
// anchor write), never lead it.

/** Fixed size: the file is overwritten in place with one write, never truncated first. */
const ANCHOR_BYTES = 512

const AnchorBodySchema = z.object({
  v: z.literal(1),
  peer: z.string().max(128),
  /** Seq of the newest durable entry; -1 before the first. */
  seq: z.number().int().min(-1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.number().int()
}).strict()
const AnchorFileSchema = AnchorBodySchema.extend({ sig: z.string().max(200) }).strict()

export type AnchorBody = z.infer<typeof AnchorBodySchema>

export type AnchorRead =
  | { state: 'ok', seq: number, hash: string }
  | { state: 'missing' }
  | { state: 'invalid', reason: string }

export class AuditAnchor {
  readonly path: string
  readonly #identity: Identity

  constructor (path: string, identity: Identity) {
    this.path = path
    this.#identity = identity
  }

  /** Create the anchor (at init or after a repair): temp file, fsync, rename, fsync the folder. */
  async create (seq: number, hash: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
    const tmp = `${this.path}.${process.pid}.tmp`
    await writeSynced(tmp, await this.#encode(seq, hash), 'w')
    await rename(tmp, this.path)
    await syncDir(dirname(this.path))
  }

  /** Advance the anchor: one in-place write of a fixed-size record, then fdatasync. */
  async advance (seq: number, hash: string): Promise<void> {
    try {
      await writeSynced(this.path, await this.#encode(seq, hash), 'r+')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      await this.create(seq, hash)
    }
  }

  async read (): Promise<AnchorRead> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
      return { state: 'invalid', reason: `cannot read the audit anchor (${(err as NodeJS.ErrnoException).code ?? 'error'})` }
    }
    const parsed = AnchorFileSchema.safeParse(safeJson(text.trimEnd()))
    if (!parsed.success) return { state: 'invalid', reason: 'the audit anchor is malformed' }
    const { sig, ...body } = parsed.data
    // A key rotation re-signs the anchor; one signed by a former key of this node is still ours.
    const ours = body.peer === this.#identity.id || this.#identity.predecessors.includes(body.peer)
    if (!ours || !await verifyJson(body.peer, body, sig)) {
      return { state: 'invalid', reason: 'the audit anchor is not signed by this node' }
    }
    return { state: 'ok', seq: body.seq, hash: body.hash }
  }

  async #encode (seq: number, hash: string): Promise<Buffer> {
    const body: AnchorBody = { v: 1, peer: this.#identity.id, seq, hash, time: Date.now() }
    const text = JSON.stringify({ ...body, sig: await this.#identity.sign(body) })
    if (text.length >= ANCHOR_BYTES) throw new Error('audit anchor record too large')
    return Buffer.from(text.padEnd(ANCHOR_BYTES - 1, ' ') + '\n')
  }
}

async function writeSynced (path: string, bytes: Buffer, flags: 'w' | 'r+'): Promise<void> {
  const handle = await open(path, flags, 0o600)
  try {
    await handle.write(bytes, 0, bytes.length, 0)
    await handle.datasync()
  } finally {
    await handle.close()
  }
}

/** Make a rename durable: fsync the folder that holds the entry. */
export async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
