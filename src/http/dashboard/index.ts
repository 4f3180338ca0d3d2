import { CLEAR_COOKIE, CSRF_HEADER, DashboardSessions, readCookie, SESSION_COOKIE, sessionCookie, type Signed } from './auth.js'
import { loadBundle, type StaticFile } from './bundle.js'
import { receiveUpload } from './upload.js'

export { loginPath, mintLogin } from './auth.js'

/**
 * The dashboard as the HTTP server mounts it: static files at `/`, login at `/dashboard/*`, and the
 * session check the server applies to `/api` when no bearer token is presented. It has no logic of
 * its own: the page calls the same `/api/<op>` routes as any other client.
 */
export interface Dashboard {
  /** A response for the paths the dashboard owns, undefined for any other path. */
  handle: (req: Request) => Promise<Response | undefined>
  /** 'session' for a valid session cookie (and, on a change, a matching CSRF header). */
  authenticate: (req: Request) => Promise<'session' | undefined>
}

export interface DashboardInit {
  /** The node's bearer token (read on each use, so rotation takes effect at once). */
  token: () => Promise<string>
  /** Ingest one uploaded file (the `ingest` op); without it uploads are refused. */
  ingestFile?: (path: string) => Promise<unknown>
  /** Where uploads wait while they are ingested (removed afterwards). */
  uploadDir?: string
}

// No inline script or style, nothing from another origin, not framable.
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin (not no-referrer): with no-referrer Chrome sends `Origin: null` on our own POSTs.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin'
}

function reply (body: ConstructorParameters<typeof Response>[0], status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...headers } })
}

function json (value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return reply(JSON.stringify(value), status, { 'content-type': 'application/json', ...headers })
}

function fail (status: number, code: string, message: string): Response {
  return json({ error: { code, message } }, status)
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Cookie auth is ambient, so a change made with it must show it comes from our own page, besides
 * SameSite and the CSRF token: an Origin naming this server, or (Chromium sends no Origin on a
 * same-origin fetch) the browser-set `Sec-Fetch-Site: same-origin`, which a script cannot forge.
 */
function sameOrigin (req: Request): boolean {
  const origin = req.headers.get('origin')
  if (origin !== null) return origin === new URL(req.url).origin
  return req.headers.get('sec-fetch-site') === 'same-origin'
}

export async function createDashboard (init: DashboardInit): Promise<Dashboard> {
  // The bundle is read (or built, in a clone run from sources) on the first page request, not when
  // the server starts: a node that nobody opens the dashboard of never pays for it.
  let bundle: Promise<Map<string, StaticFile>> | undefined
  const filesOf = async (): Promise<Map<string, StaticFile>> => await (bundle ??= loadBundle())
  const sessions = new DashboardSessions(init.token)
  const sessionOf = async (req: Request): Promise<Signed | undefined> => await sessions.session(readCookie(req.headers.get('cookie'), SESSION_COOKIE))

  const authenticate = async (req: Request): Promise<'session' | undefined> => {
    const s = await sessionOf(req)
    if (s === undefined) return undefined
    if (CHANGES.has(req.method) && (!sameOrigin(req) || !await sessions.csrfMatches(s, req.headers.get(CSRF_HEADER)))) return undefined
    return 'session'
  }

  const routes: Record<string, (req: Request) => Promise<Response> | Response> = {
    'GET /dashboard/login': async (req) => {
      const value = new URL(req.url).searchParams.get('t') ?? ''
      const cookie = await sessions.redeemLogin(value)
      if (cookie === undefined) return reply('This login link is invalid, expired or already used. Run `secondme dashboard` for a new one.', 401, { 'content-type': 'text/plain; charset=utf-8' })
      return reply(null, 303, { location: '/', 'set-cookie': sessionCookie(cookie) })
    },
    'POST /dashboard/login': async (req) => {
      const body = await req.json().catch(() => undefined) as { token?: unknown } | undefined
      if (!sameOrigin(req) || typeof body?.token !== 'string' || !await sessions.tokenMatches(body.token)) return fail(401, 'E_UNAUTHORIZED', 'wrong token')
      return json({ ok: true }, 200, { 'set-cookie': sessionCookie(await sessions.newSession()) })
    },
    'GET /dashboard/session': async (req) => {
      const s = await sessionOf(req)
      return s === undefined ? fail(401, 'E_UNAUTHORIZED', 'not logged in') : json({ csrf: await sessions.csrfFor(s), expires: new Date(s.exp).toISOString() })
    },
    'POST /dashboard/upload': async (req) => {
      if (await authenticate(req) === undefined) return fail(401, 'E_UNAUTHORIZED', 'not logged in')
      if (init.ingestFile === undefined || init.uploadDir === undefined) return fail(404, 'E_NOT_FOUND', 'uploads are not enabled')
      return json(await receiveUpload(req, init.uploadDir, init.ingestFile))
    },
    'POST /dashboard/logout': async (req) => {
      const s = await sessionOf(req)
      if (s === undefined || await authenticate(req) === undefined) return fail(401, 'E_UNAUTHORIZED', 'not logged in')
      sessions.end(s)
      return json({ ok: true }, 200, { 'set-cookie': CLEAR_COOKIE })
    }
  }

  const handle = async (req: Request): Promise<Response | undefined> => {
    const path = new URL(req.url).pathname
    const route = routes[`${req.method} ${path}`]
    if (route !== undefined) return await route(req)
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined
    if (path !== '/' && path !== '/index.html' && !path.startsWith('/assets/')) return undefined
    const files = await filesOf()
    const file: StaticFile | undefined = path === '/' || path === '/index.html' ? files.get('/assets/index.html') : files.get(path)
    if (file === undefined) return undefined
    return reply(req.method === 'HEAD' ? null : new Uint8Array(file.body), 200, { 'content-type': file.type })
  }

  return { handle, authenticate }
}
