import { Level } from 'level'
import { isSecondMeError } from './errors.js'
import { homePaths } from './home.js'
import type { MemoryOptions } from './memory/index.js'
import { KNOWN_STORES, SecondMe } from './node.js'
import type { AuditVerifyReport } from './policy/index.js'
import { describeRepair, type RepairEvent } from './vault/index.js'

// `secondme doctor [--repair]`: read every record of the home, check the audit chain against its
// anchor, and say what is lost. Reading already heals record-level damage (a corrupt cache record
// is dropped and rebuilt, a corrupt primary record quarantined; vault/heal.ts). --repair also
// salvages a LevelDB database that no longer opens or iterates (LevelDB's own RepairDB) and, when
// the newest audit entries are gone, records that loss in the chain and re-anchors it — the loss
// stays visible in the log; only an edited entry in the middle of the chain cannot be repaired.

export interface DoctorOptions {
  home: string
  passphrase: string
  repair?: boolean
  memory?: MemoryOptions
}

export interface DoctorReport {
  /** The home is usable and its audit chain verifies (after any repair). */
  ok: boolean
  /** Nothing was found wrong at all. */
  clean: boolean
  /** LevelDB's repair was run on the vault (it could not be read as it was). */
  databaseRepaired: boolean
  /** Readable records per store. */
  stores: Record<string, number>
  /** Corrupt records taken out while reading: dropped caches, quarantined primary data. */
  repairs: RepairEvent[]
  /** Every quarantined record, `store/key` (including earlier runs). */
  quarantined: string[]
  audit: AuditVerifyReport
  /** The audit loss recorded by --repair, if any. */
  auditRepaired?: string
  /** One line per thing lost or still wrong. */
  problems: string[]
}

export async function doctor (options: DoctorOptions): Promise<DoctorReport> {
  const repairs: RepairEvent[] = []
  const { me, databaseRepaired } = await openForDoctor(options, repairs)
  try {
    const stores = await scanStores(me)
    let audit = await me.policy.audit.verify()
    let auditRepaired: string | undefined
    if (!audit.ok && options.repair === true && audit.reason !== undefined && isLostTail(audit.reason)) {
      auditRepaired = `entries after ${audit.entries - 1} lost (${audit.reason})`
      await me.policy.audit.recordLoss(auditRepaired)
      audit = await me.policy.audit.verify()
    }
    if (options.repair === true) await me.memory.embedPending()
    const quarantined = await me.vault.quarantined()
    const problems = [
      ...(databaseRepaired ? ['the database was damaged: LevelDB repair salvaged what it could'] : []),
      ...repairs.map(describeRepair),
      ...(audit.ok ? [] : [`audit log: ${audit.reason ?? 'broken'} at entry ${audit.brokenAt ?? '?'}${options.repair === true ? '' : ' (run `secondme doctor --repair`)'}`]),
      ...(auditRepaired === undefined ? [] : [`audit log: ${auditRepaired}; the loss is recorded in the log`])
    ]
    return { ok: audit.ok, clean: problems.length === 0, databaseRepaired, stores, repairs, quarantined, audit, ...(auditRepaired === undefined ? {} : { auditRepaired }), problems }
  } finally {
    await me.close()
  }
}

/** Open the home; with --repair, a database LevelDB itself reports as corrupt is repaired first. */
async function openForDoctor (options: DoctorOptions, repairs: RepairEvent[]): Promise<{ me: SecondMe, databaseRepaired: boolean }> {
  const open = async (): Promise<SecondMe> => await SecondMe.open({
    home: options.home,
    passphrase: options.passphrase,
    onRepair: (event) => { repairs.push(event) },
    ...(options.memory === undefined ? {} : { memory: options.memory })
  })
  try {
    const me = await open()
    // Open succeeded, but a damaged table may only show when every record is read.
    await scanStores(me).catch(async (err: unknown) => { await me.close(); throw err })
    return { me, databaseRepaired: false }
  } catch (err) {
    if (options.repair !== true || !isSecondMeError(err) || err.code !== 'E_CORRUPT' || !isDatabaseDamage(err)) throw err
  }
  await repairDatabase(homePaths(options.home).vaultDir)
  return { me: await open(), databaseRepaired: true }
}

/** Count readable records of every known store (reading heals damaged records). */
async function scanStores (me: SecondMe): Promise<Record<string, number>> {
  const stores: Record<string, number> = {}
  for (const name of KNOWN_STORES) {
    let n = 0
    for await (const _ of me.vault.store<unknown>(name).entries()) n++
    if (n > 0) stores[name] = n
  }
  return stores
}

/** In Node, `Level` is classic-level's ClassicLevel, which carries LevelDB's RepairDB (not in level's types). */
async function repairDatabase (dir: string): Promise<void> {
  const repair = (Level as unknown as { repair?: (location: string) => Promise<void> }).repair
  if (repair === undefined) throw new Error('this LevelDB binding cannot repair a database')
  await repair.call(Level, dir)
}

function isDatabaseDamage (err: Error): boolean {
  return /database is damaged|is corrupted|cannot open the vault/.test(err.message)
}

/** The chain itself is sound but shorter than its anchor, or the anchor is gone or foreign. */
function isLostTail (reason: string): boolean {
  return /newest entries lost|anchor file is missing|audit anchor is (malformed|not signed)|head does not match/.test(reason)
}
