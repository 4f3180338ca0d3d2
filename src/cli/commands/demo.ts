import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import { defaultPersonaData } from '../../sim/files.js'
import type { SecondMe } from '../../node.js'
import type { CliContext } from '../context.js'
import { printResult } from '../output.js'

/** Serve the dashboard of the node that was asked (it holds the consent, grant and audit story) until Ctrl+C. */
async function serveDashboard (nodes: SecondMe[], cli: CliContext): Promise<void> {
  const me = nodes[1] ?? nodes[0]
  if (me === undefined) return
  const [{ DEFAULT_MOUNTS, readOrCreateToken, startHttpServer }, { loginPath }] = await Promise.all([import('../../http/index.js'), import('../../http/dashboard/index.js')])
  const server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, mounts: DEFAULT_MOUNTS })
  try {
    const link = `${server.url}${loginPath(await readOrCreateToken(me.paths.root))}`
    cli.printer.out(`\nThe network keeps running. ${me.config.displayName ?? 'A node'}'s dashboard (one-time link, valid 5 minutes):\n  ${link}\nPress Ctrl+C to stop.`)
    await new Promise<void>(resolve => { process.once('SIGINT', () => { resolve() }) })
  } finally {
    await server.close()
  }
}

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
        say: (...lines) => { if (!quiet) for (const line of lines) cli.printer.out(line) },
        // On a terminal (not in CI) the network stays up and one node's dashboard is served until Ctrl+C.
        ...(cli.io.stdout.isTTY === true && cli.io.env.CI === undefined && !quiet ? { linger: async (nodes) => { await serveDashboard(nodes, cli) } } : {})
      })
      printResult(cli.printer, summary, () => '')
    })
}
