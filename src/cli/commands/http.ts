import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import { isLoopback, parseHttpConfig, parseListen } from '../../http/config.js'
import type { HttpServer } from '../../http/server.js'
import { readOrCreateToken, rotateToken } from '../../http/token.js'
import type { SecondMe } from '../../node.js'
import type { CliContext } from '../context.js'
import type { Printer } from '../output.js'
import { printResult } from '../output.js'

export function registerHttp (program: Command, cli: CliContext): void {
  program.command('token')
    .description('print the bearer token of the HTTP doors (/api, /v1, /mcp); --rotate replaces it')
    .option('--rotate', 'replace the token (a running node takes the new one within a second)')
    .action(async (opts: { rotate?: boolean }) => {
      // The token lives beside the keys, not in the vault: no passphrase needed, file mode 0600.
      const token = opts.rotate === true ? await rotateToken(cli.home) : await readOrCreateToken(cli.home)
      printResult(cli.printer, { token }, r => r.token)
    })
}

/**
 * Serve the node's HTTP doors for `secondme start`: `--http host:port|off` or config `http.listen`.
 * Only the flag can choose an address other than loopback, and that prints a warning.
 */
export async function serveHttp (me: SecondMe, flag: string | undefined, printer: Printer): Promise<HttpServer | undefined> {
  const config = parseHttpConfig(me.config.http)
  const at = parseListen(flag ?? config.listen)
  if (at === undefined) return undefined
  if (!isLoopback(at.host)) {
    if (flag === undefined) throw new InputError('E_BAD_CONFIG', `config http.listen ${config.listen} is not a loopback address: pass it as --http ${config.listen} to expose the API on purpose`)
    printer.err(`warning: the HTTP API listens on ${at.host}:${at.port}, reachable from other machines; anyone holding the token (secondme token) acts as you`)
  }
  // Loaded on use: every other command starts without the HTTP, MCP and A2A libraries.
  const [{ startHttpServer }, { DEFAULT_MOUNTS }] = await Promise.all([import('../../http/server.js'), import('../../http/mounts.js')])
  return await startHttpServer(me, { listen: at, config, mounts: DEFAULT_MOUNTS })
}
