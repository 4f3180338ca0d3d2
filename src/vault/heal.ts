import { StorageError, type SecondMeError } from '../errors.js'

// One damaged record must not lock the owner out of the home. A record that fails its integrity
// check (AES-GCM tag) is taken out of the way as it is read:
//  - in a cache (vectors, lexical terms, embedder meta: anything rebuilt from primary data) it is
//    dropped, and the owner of the cache rebuilds it (a missing vector is re-embedded, missing
//    terms are recomputed);
//  - in primary data it is moved, still encrypted, to the `quarantine` sublevel under its store and
//    key, so it is named, kept for forensics, and the rest of the home stays usable.
// Every repair is reported (a warning line by default) and listed by `secondme doctor`.

const CACHE_STORES = new Set<string>()

/** Declare stores whose records are derived and may be dropped and rebuilt (called by their owners). */
export function markCacheStores (...names: string[]): void {
  for (const name of names) CACHE_STORES.add(name)
}

export function isCacheStore (name: string): boolean {
  return CACHE_STORES.has(name)
}

export interface RepairEvent {
  store: string
  key: string
  action: 'dropped' | 'quarantined'
}

export type RepairReporter = (event: RepairEvent) => void

export const QUARANTINE = 'quarantine'

/** Quarantine key: store and record key, so `doctor` can name what was taken out. */
export function quarantineKey (store: string, key: string): string {
  return `${store}/${key}`
}

export function describeRepair (event: RepairEvent): string {
  return event.action === 'dropped'
    ? `dropped a corrupt cache record ${event.store}/${event.key}; it will be rebuilt`
    : `quarantined a corrupt record ${event.store}/${event.key}; the rest of the home is usable (see \`secondme doctor\`)`
}

/** The default reporter: one warning line on stderr (never the record's content). */
export function warnRepair (event: RepairEvent): void {
  process.stderr.write(`secondme: warning: ${describeRepair(event)}\n`)
}

/** LevelDB's own corruption (bad block checksum, broken table) as E_CORRUPT, whatever layer threw it. */
export function levelCorruption (err: unknown, where: string): SecondMeError | undefined {
  let current: unknown = err
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code
    if (code === 'LEVEL_CORRUPTION' || /\bCorruption\b/.test(current.message)) {
      return new StorageError('E_CORRUPT', `the vault's database is damaged (${where}): run \`secondme doctor --repair\``, { cause: err })
    }
    current = current.cause
  }
  return undefined
}
