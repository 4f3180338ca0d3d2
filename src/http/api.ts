import type { Hono } from 'hono'
import { findOp } from '../ops.js'
import { InputError } from '../errors.js'
import type { OpCaller } from './call.js'
import { docsPage } from './docs.js'
import { sendError } from './errors.js'
import { openApiDocument } from './openapi.js'

/** Read a JSON body: empty means `{}`; anything but JSON is E_BAD_INPUT and runs nothing. */
export async function jsonBody (req: Request): Promise<unknown> {
  const text = await req.text()
  if (text.trim() === '') return {}
  const type = req.headers.get('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new InputError('E_BAD_INPUT', 'the request body must be JSON (content-type: application/json)')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new InputError('E_BAD_INPUT', 'the request body is not valid JSON')
  }
}

/** `POST /api/<op>` for every op of the registry, plus the OpenAPI document and human docs. */
export function mountApi (app: Hono, call: OpCaller, version: string): void {
  app.get('/api/openapi.json', c => c.json(openApiDocument(version)))
  app.get('/api/docs', c => c.html(docsPage(new URL(c.req.url).origin)))
  app.post('/api/:op', async c => {
    const name = c.req.param('op')
    if (findOp(name) === undefined) return sendError(c, new InputError('E_NOT_FOUND', `unknown operation "${name}"`), 404)
    try {
      const params = await jsonBody(c.req.raw)
      const result = await call(name, params, { signal: c.req.raw.signal })
      return c.json(result ?? null)
    } catch (err) {
      return sendError(c, err)
    }
  })
  app.all('/api/*', c => sendError(c, new InputError('E_NOT_FOUND', 'no such endpoint: POST /api/<op>, GET /api/openapi.json, GET /api/docs'), 404))
}
