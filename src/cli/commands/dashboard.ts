import { spawn } from 'node:child_process'
import type { Command } from 'commander'
import { readConfig } from '../../config.js'
import { NetworkError } from '../../errors.js'
import type { CliContext } from '../context.js'
import { printResult } from '../output.js'

/** The base URL the node serves HTTP on, from --url or config `http.listen`. */
async function baseUrl (cli: CliContext, url: string | undefined): Promise<string> {
  if (url !== undefined) return url.replace(/\/+$/, '')
  // Loaded on use: other commands start without the HTTP libraries.
  const { DEFAULT_HTTP_LISTEN, parseHttpConfig, parseListen } = await import('../../http/config.js')
  // The config file needs no passphrase: the link can be made while the node runs.
  const config = parseHttpConfig((await readConfig(cli.paths.config)).http)
  const at = parseListen(config.listen) ?? parseListen(DEFAULT_HTTP_LISTEN)
  const host = at?.host === '0.0.0.0' || at?.host === '::' ? '127.0.0.1' : at?.host ?? '127.0.0.1'
  return `http://${host.includes(':') ? `[${host}]` : host}:${at?.port ?? 7777}`
}

/** Open a URL in the desktop's browser, if there is a desktop; never fails the command. */
function openInBrowser (url: string, env: NodeJS.ProcessEnv): boolean {
  const linuxDesktop = process.platform === 'linux' && (env.DISPLAY !== undefined || env.WAYLAND_DISPLAY !== undefined)
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : linuxDesktop ? ['xdg-open', [url]] : [undefined, []]
  if (cmd === undefined) return false
  const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' })
  child.on('error', () => undefined)
  child.unref()
  return true
}

export function registerDashboard (program: Command, cli: CliContext): void {
  program.command('dashboard')
    .description('print a one-time login link to the running node\'s web dashboard (and open it on a desktop)')
    .option('--url <base>', 'where the node serves HTTP (default: config http.listen, 127.0.0.1:7777)')
    .option('--no-open', 'only print the link')
    .action(async (opts: { url?: string, open: boolean }) => {
      const base = await baseUrl(cli, opts.url)
      const alive = await fetch(`${base}/dashboard/session`, { signal: AbortSignal.timeout(3000) }).then(r => r.status === 401 || r.ok, () => false)
      if (!alive) throw new NetworkError('E_NODE_NOT_RUNNING', `no node serves the dashboard at ${base}: start one with \`secondme start\` (or pass --url)`)
      const [{ loginPath }, { readOrCreateToken }] = await Promise.all([import('../../http/dashboard/auth.js'), import('../../http/token.js')])
      const link = base + loginPath(await readOrCreateToken(cli.home))
      const opened = opts.open && cli.io.stdout.isTTY === true && cli.io.env.CI === undefined && openInBrowser(link, cli.io.env)
      printResult(cli.printer, { link, opened, validFor: '5 minutes, once' }, r => `${r.link}\n(one-time link, valid 5 minutes${r.opened ? '; opened in your browser' : ''})`)
    })
}
