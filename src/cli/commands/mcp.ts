import type { Command } from 'commander'
import type { CliContext } from '../context.js'

export function registerMcp (program: Command, cli: CliContext): void {
  program.command('mcp')
    .description('serve MCP over stdin/stdout for an assistant (tools: recall, ask, remember, …; resources: bio, topics, profile)')
    .action(async () => {
      // stdout is the MCP channel from here on: nothing else may be printed to it.
      const [{ buildMcpServer }, { StdioServerTransport }, { HTTP_API_VERSION }] = await Promise.all([
        import('../../http/mcp.js'), import('@modelcontextprotocol/sdk/server/stdio.js'), import('../../http/version.js')
      ])
      const { call, close } = await cli.opCaller()
      try {
        const server = buildMcpServer(async (name, params, ctx) => await call(name, params, ctx ?? {}), HTTP_API_VERSION)
        const ended = new Promise<void>(resolve => {
          cli.io.stdin.once('end', () => { resolve() })
          cli.io.stdin.once('close', () => { resolve() })
          server.server.onclose = () => { resolve() }
        })
        await server.connect(new StdioServerTransport(cli.io.stdin, cli.io.stdout))
        await ended
        await server.close()
      } finally {
        await close()
      }
    })
}
