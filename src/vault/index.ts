import { Level } from 'level'
import type { SecondMeError} from '../errors.js';
import { InputError, StorageError } from '../errors.js'
import { ValueCipher } from './cipher.js'
import { binaryCodec, jsonCodec, type ValueCodec } from './codec.js'
import { VaultStore, type Healer, type RawSublevel } from './store.js'
import { isCacheStore, levelCorruption, QUARANTINE, quarantineKey, warnRepair, type RepairEvent, type RepairReporter } from './heal.js'

export { VaultStore, type RangeOptions } from './store.js'
export { jsonCodec, binaryCodec, type ValueCodec } from './codec.js'
export { markCacheStores, describeRepair, type RepairEvent, type RepairReporter } from './heal.js'

/** Bump with a migration in MIGRATIONS whenever the stored layout changes. */
export const SCHEMA_VERSION = 1

export interface Migration {
  /** The version this migration produces; it runs on a vault at `to - 1`. */
  to: number
  run: (vault: Vault) => Promise<void>
}

export const MIGRATIONS: Migration[] = []

export type VaultStatus = 'opening' | 'open' | 'closing' | 'closed'

export interface VaultOpenOptions {
  /** Create the database if missing (only `init` does). @default false */
  create?: boolean
  /** fsync every write: survives power loss, not only a process crash. @default false */
  sync?: boolean
  migrations?: Migration[]
  /** The schema this build writes; migrations up to it run at open. @default SCHEMA_VERSION */
  schemaVersion?: number
  /** Told of every corrupt record dropped or quarantined on read. @default a warning line on stderr */
  onRepair?: RepairReporter
}

const STORE_NAME = /^[a-z][a-z0-9-]{0,39}$/
const KEY_CHECK = 'key-check'
/** Records per LevelDB read or write batch when copying the whole database. */
const READ_BATCH = 1000

/** What a batch needs of a store (any VaultStore<V> fits; the value is checked by its codec). */
export interface BatchStore {
  readonly sublevel: RawSublevel
  seal (key: string, value: unknown): Uint8Array
}

export type BatchOp = { type: 'put', store: BatchStore, key: string, value: unknown } | { type: 'del', store: BatchStore, key: string }

/**
 * The encrypted vault: one LevelDB database, sibling sublevels per kind of record, every value
 * AES-256-GCM under the data key. A plain `meta` sublevel keeps the schema version and an
 * encrypted key check, so a wrong data key is detected at open instead of on first read.
 */
export class Vault {
  readonly dir: string
  status: VaultStatus = 'opening'
  readonly #db: Level<string, Uint8Array>
  readonly #cipher: ValueCipher
  readonly #stores = new Map<string, VaultStore<unknown>>()
  readonly #sync: boolean
  readonly #meta: RawSublevel
  readonly #quarantine: RawSublevel
  readonly #onRepair: RepairReporter
  /** Corrupt records taken out of the way since open (dropped caches, quarantined primary data). */
  readonly repairs: RepairEvent[] = []

  private constructor (dir: string, db: Level<string, Uint8Array>, dataKey: Buffer, sync: boolean, onRepair: RepairReporter) {
    this.dir = dir
    this.#db = db
    this.#cipher = new ValueCipher(dataKey)
    this.#sync = sync
    this.#meta = db.sublevel<string, Uint8Array>('meta', { valueEncoding: 'view' })
    this.#quarantine = db.sublevel<string, Uint8Array>(QUARANTINE, { valueEncoding: 'view' })
    this.#onRepair = onRepair
  }

  static async open (dir: string, dataKey: Buffer, options: VaultOpenOptions = {}): Promise<Vault> {
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open({ createIfMissing: options.create ?? false, errorIfExists: options.create ?? false })
    } catch (err) {
      throw openError(dir, err)
    }
    const vault = new Vault(dir, db, dataKey, options.sync ?? false, options.onRepair ?? warnRepair)
    try {
      await vault.#checkKeyAndSchema(options.create ?? false, options.schemaVersion ?? SCHEMA_VERSION, options.migrations ?? MIGRATIONS)
    } catch (err) {
      await db.close()
      throw err
    }
    vault.status = 'open'
    return vault
  }

  /** A store of JSON values (default) or of any codec's values. Same name, same store. */
  store<V> (name: string, codec: ValueCodec<V> = jsonCodec<V>()): VaultStore<V> {
    this.#assertOpen()
    if (!STORE_NAME.test(name) || name === 'meta' || name === QUARANTINE) throw new InputError('E_BAD_INPUT', `invalid store name "${name}"`)
    let store = this.#stores.get(name)
    if (store === undefined) {
      const sub = this.#db.sublevel<string, Uint8Array>(name, { valueEncoding: 'view' })
      store = new VaultStore<unknown>(name, sub, this.#cipher, codec as ValueCodec<unknown>, this.#healer)
      this.#stores.set(name, store)
    }
    return store as VaultStore<V>
  }

  binaryStore (name: string): VaultStore<Uint8Array> {
    return this.store(name, binaryCodec)
  }

  /** Quarantined records: `store/key` → the record's envelope, still encrypted. */
  async quarantined (): Promise<string[]> {
    return await this.#quarantine.keys().all()
  }

  /** Cache records are dropped (their owner rebuilds them); primary records move to quarantine. */
  readonly #healer: Healer = {
    heal: async (store, key, envelope) => {
      const sub = this.#db.sublevel<string, Uint8Array>(store, { valueEncoding: 'view' })
      const cache = isCacheStore(store)
      await this.#db.batch([
        ...(cache ? [] : [{ type: 'put' as const, sublevel: this.#quarantine, key: quarantineKey(store, key), value: envelope }]),
        { type: 'del' as const, sublevel: sub, key }
      ], durable(true))
      const event: RepairEvent = { store, key, action: cache ? 'dropped' : 'quarantined' }
      this.repairs.push(event)
      this.#onRepair(event)
    }
  }

  /**
   * Atomic write across stores: all operations land, or none does. `sync` forces an fsync before
   * the promise resolves even when the vault was opened without `sync` (the audit log needs it).
   */
  async batch (ops: BatchOp[], options: { sync?: boolean } = {}): Promise<void> {
    this.#assertOpen()
    if (ops.length === 0) return
    const sealed = ops.map(op => op.type === 'put'
      ? { type: 'put' as const, sublevel: op.store.sublevel, key: op.key, value: op.store.seal(op.key, op.value) }
      : { type: 'del' as const, sublevel: op.store.sublevel, key: op.key })
    try {
      await this.#db.batch(sealed, durable(this.#sync || options.sync === true))
    } catch (err) {
      throw levelCorruption(err, 'batch write') ?? err
    }
  }

  /**
   * Every raw record of the database (keys as stored, values still encrypted) read from one
   * LevelDB snapshot taken at this call (not at the first read): a consistent copy even while
   * writes go on. For backups.
   */
  rawSnapshot (): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.#assertOpen()
    const iterator = this.#db.iterator<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' })
    return (async function * () {
      try {
        for (;;) {
          const batch = await iterator.nextv(READ_BATCH)
          if (batch.length === 0) return
          yield * batch
        }
      } catch (err) {
        throw levelCorruption(err, 'snapshot') ?? err
      } finally {
        await iterator.close()
      }
    })()
  }

  /** Create a new database at `dir` holding exactly `records` (from rawSnapshot), fsynced. */
  static async importRaw (dir: string, records: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<number> {
    const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' })
    await db.open({ createIfMissing: true, errorIfExists: true })
    let count = 0
    try {
      let ops: Array<{ type: 'put', key: Uint8Array, value: Uint8Array }> = []
      for await (const [key, value] of records) {
        ops.push({ type: 'put', key, value })
        count++
        if (ops.length >= READ_BATCH) {
          await db.batch(ops, durable(true))
          ops = []
        }
      }
      await db.batch(ops, durable(true))
    } finally {
      await db.close()
    }
    return count
  }

  async schemaVersion (): Promise<number> {
    const raw = await this.#meta.get('schema-version')
    return raw === undefined ? 0 : Number(Buffer.from(raw).toString('utf8'))
  }

  async close (): Promise<void> {
    if (this.status === 'closed' || this.status === 'closing') return
    this.status = 'closing'
    await this.#db.close()
    this.status = 'closed'
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }

  #assertOpen (): void {
    if (this.status === 'closed' || this.status === 'closing') throw new StorageError('E_CLOSED', 'the vault is closed')
  }

  async #checkKeyAndSchema (create: boolean, target: number, migrations: Migration[]): Promise<void> {
    const check = new VaultStore<string>('meta', this.#meta, this.#cipher, jsonCodec<string>())
    if (create) {
      await this.#meta.batch([
        { type: 'put', key: 'schema-version', value: Buffer.from(String(target)) },
        { type: 'put', key: KEY_CHECK, value: check.seal(KEY_CHECK, 'secondme') }
      ], durable(true))
      return
    }
    const sealed = await this.#meta.get(KEY_CHECK)
    if (sealed === undefined) throw new StorageError('E_CORRUPT', `vault at ${this.dir} has no key check record`)
    check.open(KEY_CHECK, sealed)
    await this.#migrate(target, migrations)
  }

  async #migrate (target: number, migrations: Migration[]): Promise<void> {
    let version = await this.schemaVersion()
    if (!Number.isInteger(version) || version < 1) throw new StorageError('E_CORRUPT', `vault at ${this.dir} has an invalid schema version`)
    if (version > target) {
      throw new StorageError('E_SCHEMA_VERSION', `vault schema ${version} is newer than this secondme supports (${target}); upgrade secondme`)
    }
    for (const migration of [...migrations].sort((a, b) => a.to - b.to)) {
      if (migration.to !== version + 1 || migration.to > target) continue
      this.status = 'open'
      await migration.run(this)
      await this.#meta.put('schema-version', Buffer.from(String(migration.to)), durable(true))
      version = migration.to
    }
  }
}

/** classic-level honours `sync` (fsync before acknowledging); abstract-level's types omit it. */
function durable (sync: boolean): object {
  return { sync }
}

function openError (dir: string, err: unknown): SecondMeError {
  const code = levelCode(err)
  if (code === 'LEVEL_LOCKED') return new StorageError('E_HOME_LOCKED', `the vault at ${dir} is in use by another process (is \`secondme start\` running?)`, { cause: err })
  if (code === 'LEVEL_CORRUPTION') return new StorageError('E_CORRUPT', `the vault at ${dir} is corrupted`, { cause: err })
  if (code === 'LEVEL_DATABASE_EXISTS' || /exists/i.test(String(err))) return new StorageError('E_HOME_EXISTS', `a vault already exists at ${dir}`, { cause: err })
  if (/does not exist/i.test(describeErr(err))) return new StorageError('E_NO_HOME', `no vault at ${dir}: run \`secondme init\` first`, { cause: err })
  return new StorageError('E_CORRUPT', `cannot open the vault at ${dir}: ${describeErr(err)}`, { cause: err })
}

function levelCode (err: unknown): string | undefined {
  let current: unknown = err
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'LEVEL_DATABASE_NOT_OPEN') return code
    current = current.cause
  }
  return undefined
}

function describeErr (err: unknown): string {
  const parts: string[] = []
  let current: unknown = err
  while (current instanceof Error) {
    parts.push(current.message)
    current = current.cause
  }
  return parts.join(': ')
}
