import type { Context, Hono } from 'hono'
import type { SecondMe } from '../node.js'

/**
 * A plug-in for the node's HTTP server (the dashboard is one). Its routes are added after the
 * built-in doors (/api, /v1, /mcp, A2A), so those paths always win; they are NOT behind the bearer
 * check, so a mount can serve `/` and its own login. The Host/Origin checks, body limit and rate
 * limit apply to them as to everything else.
 */
export interface HttpMount {
  name: string
  /**
   * Another way to authenticate a request to /api, /v1 or /mcp (e.g. a session cookie). Called only
   * when the request carries no valid bearer token; return true to let it through. `ctx` tells
   * which node's server asks (one process may serve several).
   */
  authenticate?: (c: Context, ctx: MountContext) => boolean | Promise<boolean>
  routes: (app: Hono, ctx: MountContext) => void
}

export interface MountContext {
  me: SecondMe
  /** Constant-time check of a presented owner token (the one `secondme token` prints). */
  checkToken: (given: string) => Promise<boolean>
}
