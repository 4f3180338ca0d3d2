import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { NetworkError, PolicyError } from '../errors.js'
import { sendError, unauthorized } from './errors.js'
import type { TokenSource } from './token.js'
import type { RateLimiter } from '../net/rate-limit.js'

// Checks every request passes before any route runs: Host and Origin (DNS rebinding, cross-site
// calls), a per-client rate limit, and (on the owner's doors) the bearer token.

export interface HostCheckInit {
  port: number
  bindHost: string
  /** Extra accepted Host values (`name` or `name:port`). */
  allowedHosts: readonly string[]
  /** Origins allowed by CORS; same-origin is always allowed. */
  corsOrigins: readonly string[]
}

function allowedHostSet (init: HostCheckInit): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', init.bindHost.includes(':') ? `[${init.bindHost}]` : init.bindHost]
  const hosts = new Set(names.map(n => `${n}:${init.port}`.toLowerCase()))
  for (const h of init.allowedHosts) hosts.add(h.includes(':') ? h.toLowerCase() : `${h}:${init.port}`.toLowerCase())
  return hosts
}

/** A check every request passes: a refusal (the response to send), or undefined to go on. */
export type RequestCheck = (c: Context) => Response | undefined

/**
 * A browser page on another site may resolve its own name to 127.0.0.1 (DNS rebinding): its
 * requests then carry a foreign Host. A cross-site page's requests carry a foreign Origin.
 */
export function hostAndOriginCheck (init: HostCheckInit): RequestCheck {
  const hosts = allowedHostSet(init)
  const origins = new Set([...hosts].map(h => `http://${h}`).concat(init.corsOrigins.map(o => o.replace(/\/$/, '').toLowerCase())))
  return c => {
    const host = (c.req.header('host') ?? '').toLowerCase()
    if (!hosts.has(host)) return sendError(c, new PolicyError('E_DENIED', 'Host header not allowed'), 403)
    const origin = c.req.header('origin')
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return sendError(c, new PolicyError('E_DENIED', 'Origin not allowed'), 403)
    return undefined
  }
}

export function clientOf (c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Token buckets per client address (the same limiter the network uses per peer). */
export function rateLimit (limiter: RateLimiter): RequestCheck {
  return c => {
    if (limiter.take(clientOf(c))) return undefined
    c.header('Retry-After', '1')
    return sendError(c, new NetworkError('E_RATE_LIMITED', 'too many requests from this client'), 429)
  }
}

/**
 * The checks in order as one middleware: the first refusal answers, else the next handler runs.
 * One step of hono's chain instead of an async middleware each (bench:http: fewer promises and
 * microtask turns on every request).
 */
export function checksInOrder (checks: readonly RequestCheck[]): MiddlewareHandler {
  return async (c, next) => {
    for (const check of checks) {
      const refused = check(c)
      if (refused !== undefined) return refused
    }
    await next()
    return undefined
  }
}

export type Authenticator = (c: Context) => boolean | Promise<boolean>

const BEARER = /^Bearer\s+(\S+)\s*$/i

export function bearerOf (c: Context): string | undefined {
  return BEARER.exec(c.req.header('authorization') ?? '')?.[1]
}

/** The owner's doors: the bearer token, or another authenticator a mount adds (a session cookie). */
export function requireOwner (tokens: TokenSource, others: readonly Authenticator[]): MiddlewareHandler {
  return async (c, next) => {
    const given = bearerOf(c)
    if (given !== undefined && await tokens.check(given)) return await next()
    for (const other of others) if (await other(c)) return await next()
    return unauthorized(c)
  }
}
