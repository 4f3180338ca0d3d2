import type { CommanderError } from 'commander';
import { Command } from 'commander'
import { InputError } from '../errors.js'
import { enableVerbose } from '../log.js'
import { CliContext, type CliIo, type GlobalOptions, type RemoteConnector } from './context.js'
import { registerCore } from './commands/core.js'
import { registerMemory } from './commands/memory.js'
import { registerNet } from './commands/net.js'
import { registerModel } from './commands/model.js'
import { registerSim } from './commands/sim.js'
import { registerDemo } from './commands/demo.js'
import { registerPolicy } from './commands/policy.js'
import { registerHttp } from './commands/http.js'
import { registerMcp } from './commands/mcp.js'
import { registerDashboard } from './commands/dashboard.js'
import { registerBackup } from './commands/backup.js'

export interface ProgramOptions {
  io: CliIo
  connectRemote?: RemoteConnector
}

/** Build the `secondme` command tree; every command is a thin door over one op of the core. */
export function buildProgram (options: ProgramOptions): { program: Command, cli: CliContext } {
  const program = new Command('secondme')
  const cli = new CliContext(options.io, () => program.opts<GlobalOptions>(), options.connectRemote)
  program
    .description('Your Second Me: an AI self with encrypted local memory, acting for you among other Second Mes.')
    .option('--home <dir>', 'home folder (default: $SECONDME_HOME or ~/.secondme)')
    .option('--json', 'machine-readable output')
    .option('--verbose', 'log what the node does to stderr (as DEBUG=secondme:*): op names, codes, ids, timings; never memory text or secrets')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => { options.io.stdout.write(s) },
      writeErr: () => {}
    })
  program.hook('preAction', () => { if (program.opts<{ verbose?: boolean }>().verbose === true) enableVerbose() })
  // Each area registers its commands here.
  registerCore(program, cli)
  registerMemory(program, cli)
  registerNet(program, cli)
  registerModel(program, cli)
  registerSim(program, cli)
  registerDemo(program, cli)
  registerPolicy(program, cli)
  registerHttp(program, cli)
  registerMcp(program, cli)
  registerDashboard(program, cli)
  registerBackup(program, cli)
  return { program, cli }
}

/** Commander's own errors (unknown command/option, missing argument) become E_USAGE. */
export function usageError (err: CommanderError): InputError {
  const message = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')
  return new InputError('E_USAGE', `${message} (see secondme --help)`)
}
