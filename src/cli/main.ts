import '../polyfill.js'
import { CommanderError } from 'commander'
import { exitCodeFor } from '../errors.js'
import { printError } from './output.js'
import { buildProgram, usageError } from './program.js'
import { connectControl } from '../control/client.js'
import { exitWithParent } from './parent-watch.js'

export async function main (argv: string[]): Promise<number> {
  // Everything this process creates (vault tables, logs, key and anchor files) is the owner's alone.
  process.umask(0o077)
  exitWithParent(process.env)
  const io = { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
  const { program, cli } = buildProgram({ io, connectRemote: connectControl })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive as "errors" with exit code 0.
      if (err.exitCode === 0) return 0
      printError(cli.printer, usageError(err))
      return exitCodeFor(usageError(err))
    }
    printError(cli.printer, err)
    return exitCodeFor(err)
  }
}

process.exitCode = await main(process.argv.slice(2))
