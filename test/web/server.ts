import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { runOp } from '../../src/api/index.js'
import { SecondMeError } from '../../src/errors.js'
import { createDashboard } from '../../src/http/dashboard/index.js'
import type { SecondMe } from '../../src/node.js'

// TEMPORARY until #14's HTTP server is on main: the smallest server that mounts the dashboard and
// answers POST /api/<op>, so the browser tests run against real ops. Replaced by startHttpServer.

export interface TestServer { url: string, token: string, close: () => Promise<void> }

async function toRequest (req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : Buffer.concat(chunks)
  return new Request(new URL(req.url ?? '/', base), { method: req.method ?? 'GET', headers, body })
}

export async function startTestServer (me: SecondMe, token = 'smt_test-token-0123456789abcdefghijklmnop'): Promise<TestServer> {
  const dash = await createDashboard({ token: async () => token, uploadDir: join(me.paths.root, 'uploads'), ingestFile: async (path) => await runOp(me, 'ingest', { paths: [path] }) })
  let base = ''
  const server: Server = createServer((req, res) => {
    void (async () => {
      const request = await toRequest(req, base)
      const path = new URL(request.url).pathname
      let response: Response | undefined
      if (path.startsWith('/api/') || path.startsWith('/v1/')) {
        if (process.env.DBG === '1') console.log('hdr', [...request.headers])
        const bearer = request.headers.get('authorization') === `Bearer ${token}`
        if (!bearer && await dash.authenticate(request) === undefined) response = Response.json({ error: { code: 'E_UNAUTHORIZED', message: 'no' } }, { status: 401 })
        else if (path.startsWith('/v1/')) response = new Response('', { status: 404 })
        else {
          try {
            response = Response.json(await runOp(me, path.slice(5), await request.json()))
          } catch (err) {
            response = Response.json({ error: err instanceof SecondMeError ? err.toJSON() : { code: 'E_INTERNAL', message: String(err) } }, { status: 400 })
          }
        }
      } else response = await dash.handle(request) ?? new Response('not found', { status: 404 })
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    })()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url: base, token, close: async () => { server.closeAllConnections(); await new Promise(resolve => server.close(resolve)) } }
}
