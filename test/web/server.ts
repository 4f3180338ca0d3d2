import { DEFAULT_MOUNTS, readOrCreateToken, startHttpServer } from '../../src/http/index.js'
import type { SecondMe } from '../../src/node.js'

// The node's own HTTP server with its default mounts (the dashboard among them), on a free port.

export interface TestServer { url: string, token: string, close: () => Promise<void> }

export async function startTestServer (me: SecondMe): Promise<TestServer> {
  const server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, mounts: DEFAULT_MOUNTS })
  return { url: server.url, token: await readOrCreateToken(me.paths.root), close: server.close }
}
