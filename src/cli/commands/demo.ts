import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import { defaultPersonaData } from '../../sim/files.js'
import type { CliContext } from '../context.js'
import { printResult } from '../output.js'

/** `demo` (what `npm start` runs): the showcase transcript; needs no home and no passphrase. */
export function registerDemo (program: Command, cli: CliContext): void {
  program.command('demo')
    .description('showcase: a few Second Mes find each other by topic, introduce, share, refuse and converse')
    .option('--data <file>', 'LoCoMo-format persona data (default: $SECONDME_PERSONAS, ../shared/data/locomo/dev.json, or scenarios/personas.json)')
    .option('--nodes <n>', 'number of Second Mes (3-5)', '4')
    .option('--seed <seed>', 'seed for the personas', 'showcase')
    .action(async (opts: { data?: string, nodes: string, seed: string }) => {
      const nodes = Number(opts.nodes)
      if (!Number.isInteger(nodes) || nodes < 3 || nodes > 5) throw new InputError('E_BAD_INPUT', `--nodes must be 3, 4 or 5 (got "${opts.nodes}")`)
      const quiet = cli.printer.json
      const { showcase } = await import('../../sim/showcase.js')
      const summary = await showcase({
        dataFile: opts.data ?? defaultPersonaData(cli.io.env),
        nodes,
        seed: opts.seed,
        say: (...lines) => { if (!quiet) for (const line of lines) cli.printer.out(line) }
      })
      printResult(cli.printer, summary, () => '')
    })
}
