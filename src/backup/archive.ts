import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { z } from 'zod'
import { InputError, StorageError } from '../errors.js'
import { SealedSchema, type Sealed } from '../identity/seal.js'

// The backup archive, version 1:
//   "SECONDME-BACKUP\n"                            magic (16 bytes)
//   u32be n, n bytes of header JSON                 format, version, peer, time, salt, sealed keyring
//   frames until the final one: u32be n, n bytes = [final u8][iv 12][tag 16][AES-256-GCM ciphertext]
// The frame key is HKDF-SHA256(vault data key, salt). The data key is in the sealed keyring of the
// header, so the home's passphrase opens the archive exactly as it opens the home (a wrong one fails
// on the keyring, before any frame). Each frame's associated data is sha256(header) ‖ index ‖ final:
// an edited, dropped, reordered or foreign frame fails, and an archive without its final frame is
// truncated. The plaintext is a stream of records [kind u8][u32be len][key][u32be len][value].

export const MAGIC = Buffer.from('SECONDME-BACKUP\n')
export const ARCHIVE_VERSION = 1
const MAX_HEADER = 64 * 1024
/** Plaintext per frame: bounds memory on both sides. */
const FRAME_PLAIN = 1024 * 1024
/** A frame holds at least one whole record; a record is bounded by what LevelDB holds sensibly. */
const MAX_FRAME = 256 * 1024 * 1024
const IV = 12
const TAG = 16

export const RecordKind = { file: 1, level: 2, end: 3 } as const
export type ArchiveRecord = { kind: number, key: Buffer, value: Buffer }

export const HeaderSchema = z.object({
  format: z.literal('secondme-backup'),
  v: z.number().int(),
  peer: z.string().max(128),
  created: z.string().max(40),
  salt: z.string().regex(/^[A-Za-z0-9+/=]{16,64}$/),
  keyring: SealedSchema
}).strict()
export type ArchiveHeader = z.infer<typeof HeaderSchema>

export function frameKey (dataKey: Buffer, salt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(salt, 'base64'), 'secondme-backup-v1', 32))
}

export function newHeader (peer: string, keyring: Sealed): ArchiveHeader {
  return { format: 'secondme-backup', v: ARCHIVE_VERSION, peer, created: new Date().toISOString(), salt: randomBytes(16).toString('base64'), keyring }
}

function aad (headerHash: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(5)
  tail.writeUInt32BE(index, 0)
  tail[4] = final ? 1 : 0
  return Buffer.concat([headerHash, tail])
}

function u32 (n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n, 0)
  return b
}

/** Writes the header, then records sealed into frames as they fill. */
export class ArchiveWriter {
  readonly #out: FileHandle
  readonly #key: Buffer
  readonly #headerHash: Buffer
  #parts: Buffer[] = []
  #size = 0
  #index = 0
  bytes = 0

  private constructor (out: FileHandle, key: Buffer, headerHash: Buffer) {
    this.#out = out
    this.#key = key
    this.#headerHash = headerHash
  }

  static async start (out: FileHandle, header: ArchiveHeader, dataKey: Buffer): Promise<ArchiveWriter> {
    const json = Buffer.from(JSON.stringify(header))
    const writer = new ArchiveWriter(out, frameKey(dataKey, header.salt), createHash('sha256').update(json).digest())
    await writer.#write(Buffer.concat([MAGIC, u32(json.length), json]))
    return writer
  }

  async add (kind: number, key: Uint8Array, value: Uint8Array): Promise<void> {
    this.#parts.push(Buffer.from([kind]), u32(key.byteLength), Buffer.from(key), u32(value.byteLength), Buffer.from(value))
    this.#size += 9 + key.byteLength + value.byteLength
    if (this.#size >= FRAME_PLAIN) await this.#frame(false)
  }

  /** The end record (counts, for the reader to check) and the final frame. */
  async finish (summary: Record<string, number>): Promise<void> {
    await this.add(RecordKind.end, Buffer.alloc(0), Buffer.from(JSON.stringify(summary)))
    await this.#frame(true)
  }

  async #frame (final: boolean): Promise<void> {
    const plain = Buffer.concat(this.#parts)
    this.#parts = []
    this.#size = 0
    const iv = randomBytes(IV)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    cipher.setAAD(aad(this.#headerHash, this.#index++, final))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    await this.#write(Buffer.concat([u32(1 + IV + TAG + body.length), Buffer.from([final ? 1 : 0]), iv, cipher.getAuthTag(), body]))
  }

  async #write (bytes: Buffer): Promise<void> {
    await this.#out.write(bytes)
    this.bytes += bytes.length
  }
}

/** Reads an archive front to back; every failure is a stable code and nothing is trusted before its tag. */
export class ArchiveReader {
  readonly #in: FileHandle
  #pos = 0

  constructor (input: FileHandle) {
    this.#in = input
  }

  async header (): Promise<{ header: ArchiveHeader, hash: Buffer }> {
    const magic = await this.#read(MAGIC.length, 'header')
    if (!magic.equals(MAGIC)) throw new InputError('E_UNSUPPORTED_FORMAT', 'not a secondme backup archive')
    const n = (await this.#read(4, 'header')).readUInt32BE(0)
    if (n > MAX_HEADER) throw corrupt('its header is too large')
    const json = await this.#read(n, 'header')
    let raw: unknown
    try {
      raw = JSON.parse(json.toString('utf8'))
    } catch {
      throw corrupt('its header is not JSON')
    }
    const version = (raw as { v?: unknown } | null)?.v
    if (typeof version === 'number' && version !== ARCHIVE_VERSION) {
      throw new StorageError('E_SCHEMA_VERSION', `backup archive version ${version} is not supported by this secondme (${ARCHIVE_VERSION})`)
    }
    const parsed = HeaderSchema.safeParse(raw)
    if (!parsed.success) throw corrupt('its header is malformed')
    return { header: parsed.data, hash: createHash('sha256').update(json).digest() }
  }

  /** Decrypted records in order; throws E_CORRUPT on a bad frame, a truncation or trailing bytes. */
  async * records (key: Buffer, headerHash: Buffer): AsyncGenerator<ArchiveRecord> {
    let carry: Buffer = Buffer.alloc(0)
    for (let index = 0; ; index++) {
      const n = (await this.#read(4, 'frame')).readUInt32BE(0)
      if (n < 1 + IV + TAG || n > MAX_FRAME) throw corrupt(`frame ${index} has an impossible length`)
      const frame = await this.#read(n, 'frame')
      const final = frame[0] === 1
      const decipher = createDecipheriv('aes-256-gcm', key, frame.subarray(1, 1 + IV))
      decipher.setAAD(aad(headerHash, index, final))
      decipher.setAuthTag(frame.subarray(1 + IV, 1 + IV + TAG))
      let plain: Buffer
      try {
        plain = Buffer.concat([decipher.update(frame.subarray(1 + IV + TAG)), decipher.final()])
      } catch {
        throw corrupt(`frame ${index} failed its integrity check`)
      }
      carry = carry.length === 0 ? plain : Buffer.concat([carry, plain])
      let at = 0
      for (;;) {
        const record = parseRecord(carry, at)
        if (record === undefined) break
        at = record.next
        yield record.record
      }
      carry = carry.subarray(at)
      if (final) {
        if (carry.length !== 0) throw corrupt('its last frame ends inside a record')
        if ((await this.#in.read(Buffer.alloc(1), 0, 1, this.#pos)).bytesRead !== 0) throw corrupt('it has bytes after its last frame')
        return
      }
    }
  }

  async #read (n: number, what: string): Promise<Buffer> {
    const buf = Buffer.alloc(n)
    let got = 0
    while (got < n) {
      const { bytesRead } = await this.#in.read(buf, got, n - got, this.#pos + got)
      if (bytesRead === 0) throw corrupt(`it is truncated (in a ${what})`)
      got += bytesRead
    }
    this.#pos += n
    return buf
  }
}

function parseRecord (buf: Buffer, at: number): { record: ArchiveRecord, next: number } | undefined {
  if (buf.length - at < 5) return undefined
  const kl = buf.readUInt32BE(at + 1)
  if (buf.length - at < 9 + kl) return undefined
  const vl = buf.readUInt32BE(at + 5 + kl)
  const end = at + 9 + kl + vl
  if (buf.length < end) return undefined
  const kind = buf[at] ?? 0
  return { record: { kind, key: buf.subarray(at + 5, at + 5 + kl), value: buf.subarray(at + 9 + kl, end) }, next: end }
}

export function corrupt (why: string): StorageError {
  return new StorageError('E_CORRUPT', `the backup archive is damaged: ${why}; nothing was restored`)
}
