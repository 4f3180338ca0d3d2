import { describe, expect, it } from 'vitest'
import { createDashboard, loginPath, mintLogin } from '../../src/http/dashboard/index.js'

// The dashboard's login and session rules, through its own request handler (no browser needed).

const BASE = 'http://127.0.0.1:7777'

async function setup (initial = 'smt_first-token-0123456789abcdefghijklmn'): Promise<{ dash: Awaited<ReturnType<typeof createDashboard>>, rotate: (t: string) => void }> {
  let token = initial
  const dash = await createDashboard({ token: async () => token })
  return { dash, rotate: (t) => { token = t } }
}

async function login (dash: Awaited<ReturnType<typeof createDashboard>>, value: string): Promise<Response> {
  const res = await dash.handle(new Request(`${BASE}/dashboard/login?t=${encodeURIComponent(value)}`))
  if (res === undefined) throw new Error('login route missing')
  return res
}

function cookieOf (res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

function post (cookie: string, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/api/forget`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' })
}

describe('dashboard login and session', () => {
  it('a login link works once, sets a strict HttpOnly cookie, and the session needs CSRF + same origin to change', async () => {
    const { dash } = await setup()
    const value = mintLogin('smt_first-token-0123456789abcdefghijklmn')
    const ok = await login(dash, value)
    expect(ok.status).toBe(303)
    expect(ok.headers.get('set-cookie')).toMatch(/^sm_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//)
    expect((await login(dash, value)).status).toBe(401)
    const cookie = cookieOf(ok)
    expect(await dash.authenticate(new Request(`${BASE}/api/status`, { headers: { cookie } }))).toBe('session')
    const session = await dash.handle(new Request(`${BASE}/dashboard/session`, { headers: { cookie } }))
    const { csrf } = await session!.json() as { csrf: string }
    expect(await dash.authenticate(post(cookie))).toBeUndefined()
    expect(await dash.authenticate(post(cookie, { 'x-csrf-token': csrf }))).toBeUndefined()
    expect(await dash.authenticate(post(cookie, { 'x-csrf-token': csrf, origin: 'http://evil.example' }))).toBeUndefined()
    expect(await dash.authenticate(post(cookie, { 'x-csrf-token': csrf, origin: BASE }))).toBe('session')
    expect(await dash.authenticate(post(cookie, { 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' }))).toBe('session')
    expect(await dash.authenticate(post(cookie, { 'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`, origin: BASE }))).toBeUndefined()
  })

  it('refuses forged, expired and other-token links; rotating the token ends sessions', async () => {
    const { dash, rotate } = await setup()
    const good = mintLogin('smt_first-token-0123456789abcdefghijklmn')
    const [exp, nonce, sig] = good.split('.') as [string, string, string]
    expect((await login(dash, `${Number(exp) + 1000}.${nonce}.${sig}`)).status).toBe(401)
    expect((await login(dash, mintLogin('smt_other-token-0123456789abcdefghijklmn'))).status).toBe(401)
    expect((await login(dash, mintLogin('smt_first-token-0123456789abcdefghijklmn', Date.now() - 6 * 60_000))).status).toBe(401)
    expect((await login(dash, 'garbage')).status).toBe(401)
    const cookie = cookieOf(await login(dash, good))
    expect(await dash.authenticate(new Request(`${BASE}/api/status`, { headers: { cookie } }))).toBe('session')
    rotate('smt_second-token-0123456789abcdefghijklm')
    expect(await dash.authenticate(new Request(`${BASE}/api/status`, { headers: { cookie } }))).toBeUndefined()
  })

  it('logout ends the session; the bearer token can open one; pages carry a strict CSP', async () => {
    const { dash } = await setup()
    const res = await dash.handle(new Request(`${BASE}/dashboard/login`, { method: 'POST', headers: { origin: BASE, 'content-type': 'application/json' }, body: JSON.stringify({ token: 'smt_first-token-0123456789abcdefghijklmn' }) }))
    expect(res?.status).toBe(200)
    const wrong = await dash.handle(new Request(`${BASE}/dashboard/login`, { method: 'POST', headers: { origin: BASE }, body: JSON.stringify({ token: 'nope' }) }))
    expect(wrong?.status).toBe(401)
    const cookie = cookieOf(res!)
    const { csrf } = await (await dash.handle(new Request(`${BASE}/dashboard/session`, { headers: { cookie } })))!.json() as { csrf: string }
    const out = await dash.handle(new Request(`${BASE}/dashboard/logout`, { method: 'POST', headers: { cookie, origin: BASE, 'x-csrf-token': csrf } }))
    expect(out?.status).toBe(200)
    expect(await dash.authenticate(new Request(`${BASE}/api/status`, { headers: { cookie } }))).toBeUndefined()
    const page = await dash.handle(new Request(`${BASE}/`))
    expect(page?.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/)
    expect(page?.headers.get('content-security-policy')).not.toContain('unsafe-inline')
    expect(await page?.text()).not.toMatch(/<script>|<script [^>]*>[^<]/)
    expect(loginPath('x')).toMatch(/^\/dashboard\/login\?t=/)
    expect(await dash.handle(new Request(`${BASE}/api/status`))).toBeUndefined()
  })
})
