import { resolve } from 'node:path'
import type { Command } from 'commander'
import { backupHome, restoreHome, type BackupReport } from '../../backup/index.js'
import { BACKUP_OP } from '../../control/protocol.js'
import type { CliContext } from '../context.js'
import { formatBytes, printResult } from '../output.js'

export function registerBackup (program: Command, cli: CliContext): void {
  program.command('backup <file>')
    .description('write an encrypted, verifiable archive of the home (keys, vault, config, audit); works while the node runs')
    .action(async (file: string) => {
      const target = resolve(file)
      const report = await cli.viaNode<BackupReport>(BACKUP_OP, { file: target }, async (me) => await backupHome(me, target))
      printResult(cli.printer, report, r => `backup written to ${r.file}\n${r.records} records, ${formatBytes(r.bytes)}, peer ${r.peerId}`)
    })

  program.command('restore <file>')
    .description('restore a backup archive onto a new (uninitialised) home; the passphrase is the one the home had when backed up')
    .action(async (file: string) => {
      const report = await restoreHome({ file, home: cli.home, passphrase: await cli.passphrase() })
      printResult(cli.printer, report, r => `restored ${r.home}\npeer id ${r.peerId}, ${r.records} records, audit intact (${r.auditEntries} entries)`)
    })
}
