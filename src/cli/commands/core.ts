import type { Command } from 'commander'
import type { ResultOf } from '../../ops.js'
import { SecondMe } from '../../node.js'
import { doctor, type DoctorReport } from '../../doctor.js'
import { PolicyError } from '../../errors.js'
import { assertPassphraseStrength } from '../../identity/passphrase-strength.js'
import type { CliContext } from '../context.js'
import { formatBytes, printResult, table } from '../output.js'

export function registerCore (program: Command, cli: CliContext): void {
  program.command('init')
    .description('create a new Second Me home: identity key pair, encrypted vault')
    .option('--force', 'replace an existing home (deletes its data)')
    .option('--name <name>', 'display name shown to other Second Mes')
    .action(async (opts: { force?: boolean, name?: string }) => {
      const passphrase = await cli.passphrase('New passphrase: ', true)
      assertPassphraseStrength(passphrase)
      const me = await SecondMe.init({ home: cli.home, passphrase, force: opts.force === true, ...(opts.name === undefined ? {} : { displayName: opts.name }) })
      const result = { peerId: me.peerId, home: me.paths.root }
      await me.close()
      printResult(cli.printer, result, r => `initialised ${r.home}\npeer id ${r.peerId}`)
    })

  program.command('status')
    .description('peer id, home, what is stored and how much')
    .action(async () => {
      const report = await cli.call('status', {})
      printResult(cli.printer, report, formatStatus)
    })

  program.command('passwd')
    .description('re-seal the keys under a new passphrase (data is not re-encrypted)')
    .action(async () => {
      const oldPassphrase = await cli.passphrase('Current passphrase: ')
      const next = cli.io.env.SECONDME_NEW_PASSPHRASE
      const newPassphrase = next !== undefined && next !== '' ? next : await cli.passphrase('New passphrase: ', true)
      await SecondMe.changePassphrase(cli.home, oldPassphrase, newPassphrase, assertPassphraseStrength)
      printResult(cli.printer, { changed: true }, () => 'passphrase changed')
    })

  program.command('keys')
    .description('the node\'s identity key')
    .command('rotate')
    .description('new identity key (new peer id) with a succession record signed by the old key; grants and peers follow (stop the node first)')
    .action(async () => {
      const result = await SecondMe.rotateKeys(cli.home, await cli.passphrase())
      printResult(cli.printer, result, r => `identity rotated\nold peer id ${r.previous}\nnew peer id ${r.peerId}\nthe next \`secondme start\` announces the new id with its succession record`)
    })

  program.command('doctor')
    .description('read every record and verify the audit chain; --repair salvages a damaged database and re-anchors a lost audit tail')
    .option('--repair', 'repair what can be repaired (the loss is reported and recorded in the audit log)')
    .action(async (o: { repair?: boolean }) => {
      const report = await doctor({ home: cli.home, passphrase: await cli.passphrase(), repair: o.repair === true })
      printResult(cli.printer, report, formatDoctor)
      if (!report.ok) throw new PolicyError('E_AUDIT_TAMPERED', `audit log: ${report.audit.reason ?? 'broken'}${o.repair === true ? '' : ' (try `secondme doctor --repair`)'}`, { data: { ...report.audit } })
    })
}

function formatDoctor (r: DoctorReport): string {
  const stores = Object.entries(r.stores).map(([name, n]) => [`  ${name}`, String(n)])
  return [
    r.clean ? 'home is healthy' : r.ok ? 'home is usable; found and handled:' : 'home has problems:',
    ...r.problems.map(p => `  - ${p}`),
    ...(r.quarantined.length === 0 ? [] : [`quarantined records (kept encrypted): ${r.quarantined.join(', ')}`]),
    `audit     ${r.audit.ok ? `intact, ${r.audit.entries} entries` : `BROKEN at entry ${r.audit.brokenAt ?? '?'}`}`,
    stores.length === 0 ? 'records   none' : `records\n${table(stores)}`
  ].join('\n')
}

function formatStatus (r: ResultOf<'status'>): string {
  const rows = Object.entries(r.stores).map(([name, s]) => [`  ${name}`, String(s.count), formatBytes(s.bytes)])
  return [
    `peer id   ${r.peerId}`,
    `home      ${r.home}`,
    ...(r.displayName === undefined ? [] : [`name      ${r.displayName}`]),
    `schema    v${r.schemaVersion}`,
    `on disk   ${formatBytes(r.diskBytes)}`,
    rows.length === 0 ? 'stored    nothing yet' : `stored\n${table(rows)}`,
    ...(r.network === undefined ? ['network   not running (secondme start)'] : formatNetwork(r.network))
  ].join('\n')
}

function formatNetwork (n: NonNullable<ResultOf<'status'>['network']>): string[] {
  return [
    `role      ${n.role}`,
    `reach     ${n.reachability} (DHT ${n.dhtMode})`,
    `relays    ${n.relays.length === 0 ? '-' : n.relays.join(', ')}`,
    ...(n.reservations === undefined ? [] : [`relaying  ${n.reservations} reservations`]),
    `links     ${n.connections.direct} direct, ${n.connections.relayed} relayed`,
    ...n.addresses.map(a => `address   ${a}`)
  ]
}
