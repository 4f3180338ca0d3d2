import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { InputError, PolicyError, StorageError } from '../errors.js'
import { homePaths, type HomePaths } from '../home.js'
import { tightenHome } from '../home-perms.js'
import { Identity } from '../identity/index.js'
import { readKeyring, writeKeyring } from '../identity/keyfile.js'
import type { SecondMe } from '../node.js'
import { AuditAnchor, syncDir } from '../policy/audit-anchor.js'
import { AuditLog } from '../policy/audit.js'
import { readConfig } from '../config.js'
import { Vault } from '../vault/index.js'
import { ArchiveReader, ArchiveWriter, corrupt, frameKey, newHeader, RecordKind, type ArchiveRecord } from './archive.js'

// `secondme backup <file>` / `secondme restore <file>`. The archive holds the sealed keyring, the
// config, the audit anchor and every raw vault record (values stay encrypted under the data key
// inside the archive's own encryption). Not in it: models (large, re-downloadable), the peer store
// and HTTP token (rebuilt), training outputs. A restore is built beside the home and moved in only
// after everything verified, so a wrong passphrase or a damaged archive changes nothing.

/** Files copied besides the vault, by archive name. The keyring travels in the header. */
const FILES = { 'config.json': (p: HomePaths) => p.config, 'audit-anchor.json': (p: HomePaths) => p.auditAnchor } as const
type FileName = keyof typeof FILES

export interface BackupReport {
  file: string
  peerId: string
  records: number
  bytes: number
  created: string
}

export interface RestoreReport {
  home: string
  peerId: string
  records: number
  auditEntries: number
  created: string
}

/**
 * Write an archive of `me`'s home from one consistent moment: queued audit entries are written,
 * the anchor is read, and then the vault snapshot is taken (the anchor may lag the snapshot, which
 * verify accepts, never lead it). Works while the node runs; the file appears whole or not at all.
 */
export async function backupHome (me: SecondMe, file: string): Promise<BackupReport> {
  const target = resolve(file)
  const keyring = await readKeyring(me.paths.keyring)
  await me.policy.audit.flush()
  const files = new Map<FileName, Buffer>()
  for (const [name, path] of Object.entries(FILES) as Array<[FileName, (p: HomePaths) => string]>) {
    const bytes = await readFile(path(me.paths)).catch(() => undefined)
    if (bytes !== undefined) files.set(name, bytes)
  }
  const snapshot = me.vault.rawSnapshot()
  const header = newHeader(me.peerId, keyring)
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`)
  let out: FileHandle
  try {
    out = await open(tmp, 'w', 0o600)
  } catch (err) {
    throw new InputError('E_UNREADABLE_FILE', `cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err })
  }
  let records = 0
  try {
    const writer = await ArchiveWriter.start(out, header, me.identity.dataKey)
    for (const [name, bytes] of files) await writer.add(RecordKind.file, Buffer.from(name), bytes)
    for await (const [key, value] of snapshot) {
      await writer.add(RecordKind.level, key, value)
      records++
    }
    await writer.finish({ records, files: files.size })
    await out.sync()
    await out.close()
    await rename(tmp, target)
    await syncDir(dirname(target))
    return { file: target, peerId: me.peerId, records, bytes: writer.bytes, created: header.created }
  } catch (err) {
    await out.close().catch(() => undefined)
    await rm(tmp, { force: true })
    throw err
  }
}

export interface RestoreOptions {
  file: string
  home: string
  passphrase: string
}

/** Restore an archive onto a home that is not initialised (a new machine, or after a loss). */
export async function restoreHome (options: RestoreOptions): Promise<RestoreReport> {
  const paths = homePaths(options.home)
  if (await exists(paths.keyring) || await exists(paths.vaultDir)) {
    throw new StorageError('E_HOME_EXISTS', `${paths.root} is already initialised: restore onto a new home (--home <dir>)`)
  }
  const input = await openArchive(options.file)
  const staging = `${paths.root}.restore-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const reader = new ArchiveReader(input)
    const { header, hash } = await reader.header()
    const identity = await Identity.unseal(header.keyring, options.passphrase)
    if (identity.id !== header.peer) throw corrupt('its keyring belongs to another node')
    const stage = homePaths(staging)
    await mkdir(staging, { recursive: true, mode: 0o700 })
    const files = new Map<FileName, Buffer>()
    const summary = { records: -1 }
    const levelRecords = onlyLevel(reader.records(frameKey(identity.dataKey, header.salt), hash), files, summary)
    const records = await Vault.importRaw(stage.vaultDir, levelRecords)
    if (summary.records !== records) throw corrupt('its record count does not match')
    for (const [name, bytes] of files) await writeFile(FILES[name](stage), bytes, { mode: 0o600 })
    await readConfig(stage.config)
    await writeKeyring(stage.keyring, header.keyring)
    const auditEntries = await verifyStaged(stage, identity)
    await moveInto(stage, paths)
    return { home: paths.root, peerId: identity.id, records, auditEntries, created: header.created }
  } finally {
    await input.close()
    await rm(staging, { recursive: true, force: true })
  }
}

async function openArchive (file: string): Promise<FileHandle> {
  try {
    return await open(resolve(file), 'r')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new InputError('E_FILE_NOT_FOUND', `no backup archive at ${file}`, { cause: err })
    throw new InputError('E_UNREADABLE_FILE', `cannot read ${file}: ${code ?? 'error'}`, { cause: err })
  }
}

/** Vault records pass through to the import; file records and the end record are taken aside. */
async function * onlyLevel (records: AsyncIterable<ArchiveRecord>, files: Map<FileName, Buffer>, summary: { records: number }): AsyncGenerator<[Uint8Array, Uint8Array]> {
  let ended = false
  for await (const r of records) {
    if (ended) throw corrupt('it has records after its end record')
    if (r.kind === RecordKind.level) {
      yield [Buffer.from(r.key), Buffer.from(r.value)]
    } else if (r.kind === RecordKind.file) {
      const name = r.key.toString('utf8')
      if (!Object.hasOwn(FILES, name)) throw corrupt('it names an unknown file')
      files.set(name as FileName, Buffer.from(r.value))
    } else if (r.kind === RecordKind.end) {
      const parsed = safeJson(r.value.toString('utf8')) as { records?: unknown } | undefined
      summary.records = typeof parsed?.records === 'number' ? parsed.records : -1
      ended = true
    } else {
      throw corrupt('it holds a record of an unknown kind')
    }
  }
  if (!ended) throw corrupt('it has no end record')
}

/** The restored vault opens with the data key and its audit chain reaches its anchor. */
async function verifyStaged (stage: HomePaths, identity: Identity): Promise<number> {
  const vault = await Vault.open(stage.vaultDir, identity.dataKey)
  try {
    const report = await new AuditLog(vault, new AuditAnchor(stage.auditAnchor, identity)).verify()
    if (!report.ok) throw new PolicyError('E_AUDIT_TAMPERED', `the archived audit log does not verify (${report.reason ?? 'broken'}); nothing was restored`)
    return report.entries
  } finally {
    await vault.close()
  }
}

/** Move the staged home in piece by piece, the keyring last: a home without it is not initialised. */
async function moveInto (stage: HomePaths, paths: HomePaths): Promise<void> {
  await mkdir(paths.root, { recursive: true, mode: 0o700 })
  await rename(stage.vaultDir, paths.vaultDir)
  for (const name of Object.keys(FILES) as FileName[]) {
    if (await exists(FILES[name](stage))) await rename(FILES[name](stage), FILES[name](paths))
  }
  await mkdir(paths.keysDir, { recursive: true, mode: 0o700 })
  await rename(stage.keyring, paths.keyring)
  await syncDir(paths.keysDir)
  await syncDir(paths.root)
  await tightenHome(paths)
}

async function exists (path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false)
}

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
