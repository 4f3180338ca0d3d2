import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// Dashboard login without server-side session storage: a login link and a session cookie are both
// `<expiry>.<nonce>.<mac>` with a MAC keyed from the bearer token. So `secondme dashboard` can mint
// a link from the token file alone, and rotating the token ends every session at once. The only
// state is what must be remembered: used login nonces (one-time links) and logged-out sessions.

export const SESSION_COOKIE = 'sm_session'
export const CSRF_HEADER = 'x-csrf-token'
const LOGIN_TTL_MS = 5 * 60_000
const SESSION_TTL_MS = 12 * 3600_000

export interface Signed {
  exp: number
  nonce: string
}

function keyFor (token: string): Buffer {
  return createHmac('sha256', token).update('secondme-dashboard-v1').digest()
}

function mac (key: Buffer, purpose: string, body: string): string {
  return createHmac('sha256', key).update(`${purpose}\n${body}`).digest('base64url')
}

function sameText (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function mint (token: string, purpose: string, ttlMs: number, now: number): string {
  const body = `${now + ttlMs}.${randomBytes(16).toString('base64url')}`
  return `${body}.${mac(keyFor(token), purpose, body)}`
}

/** The parts of a value minted for `purpose`, or undefined if it is malformed, forged or expired. */
function open (token: string, purpose: string, value: string, now: number): Signed | undefined {
  const parts = value.split('.')
  if (parts.length !== 3) return undefined
  const [exp, nonce, sig] = parts as [string, string, string]
  if (!/^\d{1,15}$/.test(exp) || !/^[\w-]{16,64}$/.test(nonce)) return undefined
  if (!sameText(sig, mac(keyFor(token), purpose, `${exp}.${nonce}`))) return undefined
  if (Number(exp) <= now) return undefined
  return { exp: Number(exp), nonce }
}

/** A one-time login value (valid 5 minutes) for `/dashboard/login?t=…`. */
export function mintLogin (token: string, now = Date.now()): string {
  return mint(token, 'login', LOGIN_TTL_MS, now)
}

/** The path (with query) of a one-time login link for the given bearer token. */
export function loginPath (token: string, now = Date.now()): string {
  return `/dashboard/login?t=${encodeURIComponent(mintLogin(token, now))}`
}

/**
 * The session state a server keeps: one-time use of login values and sessions ended by logout.
 * Both sets forget entries once they expire, so memory stays bounded by the TTLs.
 */
export class DashboardSessions {
  readonly #token: () => Promise<string>
  readonly #used = new Map<string, number>()
  readonly #ended = new Map<string, number>()

  constructor (token: () => Promise<string>) {
    this.#token = token
  }

  /** Redeem a login value once; returns a new session cookie value, or undefined. */
  async redeemLogin (value: string, now = Date.now()): Promise<string | undefined> {
    this.#prune(now)
    const token = await this.#token()
    const login = open(token, 'login', value, now)
    if (login === undefined || this.#used.has(login.nonce)) return undefined
    this.#used.set(login.nonce, login.exp)
    return mint(token, 'session', SESSION_TTL_MS, now)
  }

  /** A session for a caller who proved the bearer token directly. */
  async newSession (now = Date.now()): Promise<string> {
    return mint(await this.#token(), 'session', SESSION_TTL_MS, now)
  }

  async session (cookieValue: string | undefined, now = Date.now()): Promise<Signed | undefined> {
    if (cookieValue === undefined) return undefined
    const s = open(await this.#token(), 'session', cookieValue, now)
    return s === undefined || this.#ended.has(s.nonce) ? undefined : s
  }

  /** The CSRF token the page must echo in `x-csrf-token` on every change made with this session. */
  async csrfFor (session: Signed): Promise<string> {
    return mac(keyFor(await this.#token()), 'csrf', session.nonce)
  }

  async csrfMatches (session: Signed, header: string | null): Promise<boolean> {
    return header !== null && sameText(header, await this.csrfFor(session))
  }

  end (session: Signed): void {
    this.#ended.set(session.nonce, session.exp)
  }

  async tokenMatches (candidate: string): Promise<boolean> {
    return sameText(candidate, await this.#token())
  }

  #prune (now: number): void {
    for (const map of [this.#used, this.#ended]) {
      for (const [nonce, exp] of map) if (exp <= now) map.delete(nonce)
    }
  }
}

export function sessionCookie (value: string): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`
}

export const CLEAR_COOKIE = `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`

export function readCookie (header: string | null, name: string): string | undefined {
  if (header === null) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
