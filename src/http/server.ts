import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { NetworkError, InputError } from '../errors.js'
import type { SecondMe } from '../node.js'
import { mountApi } from './api.js'
import { mountOpenAi } from './openai.js'
import { mountMcp } from './mcp.js'
import { mountA2a } from './a2a.js'
import { deadlineCallers, type DeadlineCallers, type OpCaller, type TypedOpCaller } from './call.js'
import { HttpConfigSchema, type HttpConfig, type ListenAddress } from './config.js'
import { sendError } from './errors.js'
import { checksInOrder, hostAndOriginCheck, rateLimit, requireOwner, type Authenticator, type RequestCheck } from './guard.js'
import { RateLimiter } from '../net/rate-limit.js'
import type { HttpMount, MountContext } from './mount.js'
import { TokenSource } from './token.js'

import { HTTP_API_VERSION } from './version.js'

export { HTTP_API_VERSION }

export interface HttpServerInit {
  listen: ListenAddress
  /** Settings (config `http`); defaults for what is left out. */
  config?: Partial<HttpConfig>
  mounts?: readonly HttpMount[]
}

export interface HttpServer {
  /** e.g. http://127.0.0.1:7777 */
  readonly url: string
  readonly address: ListenAddress
  readonly app: Hono
  /** Stop taking requests, abort the running ops and wait for them (at most 30 s), then close. */
  close: () => Promise<void>
}

/** What the door routers get: the node, one way to call ops, the owner check. */
export interface DoorContext {
  me: SecondMe
  /** An op named at run time. */
  run: OpCaller
  /** An op named in code, typed. */
  call: TypedOpCaller
  tokens: TokenSource
  config: HttpConfig
  /** The server's own base URL, once listening. */
  baseUrl: () => string
}

/** The node's HTTP server: /api (ops + OpenAPI + docs), then the mounts. */
export async function startHttpServer (me: SecondMe, init: HttpServerInit): Promise<HttpServer> {
  const config = HttpConfigSchema.parse(init.config ?? {})
  const tokens = new TokenSource(me.paths.root)
  await tokens.current()
  const mounts = init.mounts ?? []
  let baseUrl = ''
  const callers = deadlineCallers(me, config.timeoutMs)
  const door: DoorContext = { me, run: callers.run, call: callers.call, tokens, config, baseUrl: () => baseUrl }
  const app = new Hono()
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  const address = await listen(server, init.listen)
  baseUrl = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`
  buildApp(app, door, address, mounts)
  // Slow-loris bounds: the whole request must arrive in time; idle keep-alive sockets close.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  return {
    url: baseUrl,
    address,
    app,
    close: async () => { await closeServer(server, callers) }
  }
}

function buildApp (app: Hono, door: DoorContext, address: ListenAddress, mounts: readonly HttpMount[]): void {
  const { config } = door
  const hostCheck = hostAndOriginCheck({ port: address.port, bindHost: address.host, allowedHosts: config.allowedHosts, corsOrigins: config.cors })
  const rateCheck = rateLimit(new RateLimiter({ capacity: config.rate.burst, refillPerSecond: config.rate.perSecond }))
  const body = limitBody(config.bodyLimit)
  if (config.cors.length === 0) {
    app.use('*', checksInOrder([hostCheck, rateCheck, body.declared]))
  } else {
    // CORS answers preflights itself, after the Host check and before the rate limit (as before).
    app.use('*', checksInOrder([hostCheck]))
    app.use('*', cors({ origin: [...config.cors], allowHeaders: ['Authorization', 'Content-Type'], allowMethods: ['GET', 'POST'] }))
    app.use('*', checksInOrder([rateCheck, body.declared]))
  }
  app.use('*', body.streamed)
  const ctx: MountContext = { me: door.me, checkToken: async (given) => await door.tokens.check(given) }
  const others: Authenticator[] = mounts.flatMap(m => {
    const authenticate = m.authenticate
    return authenticate === undefined ? [] : [async (c) => await authenticate(c, ctx)]
  })
  const owner = requireOwner(door.tokens, others)
  for (const path of ['/api/*', '/v1/*', '/mcp']) app.use(path, async (c, next) => {
    // The schema and the docs say nothing secret: tools fetch them before they have a token.
    if (c.req.method === 'GET' && (c.req.path === '/api/openapi.json' || c.req.path === '/api/docs')) return await next()
    return await owner(c, next)
  })
  mountApi(app, door.run, HTTP_API_VERSION)
  mountOpenAi(app, door)
  mountMcp(app, door.run, HTTP_API_VERSION)
  mountA2a(app, door)
  for (const mount of mounts) mount.routes(app, ctx)
  app.notFound(c => sendError(c, new InputError('E_NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), 404))
  app.onError((err, c) => sendError(c, err))
}

/**
 * Requests over `max` bytes get 413 and run nothing. A declared Content-Length is checked from the
 * header alone: touching the body stream here would make the node adapter build a full web Request
 * for every call (about 3 ms each, measured by bench:http); node's parser never delivers more bytes
 * than declared. Only a chunked body is counted as it streams (hono's bodyLimit).
 */
function limitBody (max: number): { declared: RequestCheck, streamed: MiddlewareHandler } {
  const tooLarge = (c: Context): Response => {
    // The rest of the body is not read: the connection cannot carry another request.
    c.header('Connection', 'close')
    return sendError(c, new NetworkError('E_FRAME_TOO_LARGE', `request body exceeds ${max} bytes`), 413)
  }
  const counted = bodyLimit({ maxSize: max, onError: tooLarge })
  const isChunked = (c: Context): boolean => c.req.header('content-length') === undefined || c.req.header('transfer-encoding') !== undefined
  return {
    declared: c => !isChunked(c) && Number(c.req.header('content-length')) > max ? tooLarge(c) : undefined,
    streamed: async (c, next) => isChunked(c) ? await counted(c, next) : await next()
  }
}

async function listen (server: Server, at: ListenAddress): Promise<ListenAddress> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new InputError('E_BAD_INPUT', `cannot serve HTTP on ${at.host}:${at.port} (${err.code ?? err.message}): choose another with --http host:port, or --http off`, { cause: err }))
    }
    server.once('error', onError)
    server.listen(at.port, at.host, () => { server.off('error', onError); resolve() })
  })
  const info = server.address() as AddressInfo
  return { host: info.address, port: info.port }
}

/** How long close waits for running ops after aborting them (an op may not watch its signal). */
const CLOSE_GRACE_MS = 30_000

async function closeServer (server: Server, callers: DeadlineCallers): Promise<void> {
  // No new connections from here; idle keep-alive sockets close.
  const closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
  await callers.close(CLOSE_GRACE_MS)
  // The aborted ops' answers (503) go out first.
  await new Promise(resolve => setImmediate(resolve))
  // Streams (SSE, MCP sessions) and busy keep-alive sockets would hold close() open: end them.
  server.closeAllConnections()
  await closed
}
