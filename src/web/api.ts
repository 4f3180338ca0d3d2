// The page's only way to the node: the same `POST /api/<op>` routes every client uses. The session
// cookie travels by itself (same origin); each change carries the CSRF token from /dashboard/session.

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor (code: string, message: string, status: number) {
    super(message)
    this.code = code
    this.status = status
  }
}

let csrf = ''

async function failure (res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => undefined) as { error?: { code?: string, message?: string } } | undefined
  return new ApiError(body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, res.status)
}

/** True when a session exists (and the CSRF token is now known). */
export async function checkSession (): Promise<boolean> {
  const res = await fetch('/dashboard/session', { credentials: 'same-origin' })
  if (!res.ok) return false
  csrf = (await res.json() as { csrf: string }).csrf
  return true
}

export async function loginWithToken (token: string): Promise<boolean> {
  const res = await fetch('/dashboard/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  return res.ok && await checkSession()
}

export async function logout (): Promise<void> {
  await fetch('/dashboard/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } })
}

export function post (path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal })
  })
}

const RETRIES = 5

/** Run one op of the node and return its result (waiting and retrying when rate-limited). */
export async function op<T> (name: string, params: object = {}, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await post(`/api/${name}`, params, signal)
    if (res.ok) return await res.json() as T
    if (res.status !== 429 || attempt >= RETRIES) throw await failure(res)
    await new Promise(resolve => setTimeout(resolve, 250 * 2 ** attempt))
  }
}

export function csrfToken (): string {
  return csrf
}
