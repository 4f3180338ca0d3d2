import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_OPS } from '../../src/ops.js'
import { isLoopback, parseListen, readOrCreateToken, rotateToken, startHttpServer, type HttpServer } from '../../src/http/index.js'
import { SecondMe } from '../../src/node.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
let server: HttpServer
let token: string

async function post (path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: unknown }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, json: await res.json() }
}

/** node:http, because fetch will not send a Host header of our choosing. */
async function rawGet (path: string, headers: Record<string, string>): Promise<number> {
  return await new Promise((resolve, reject) => {
    const req = request(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } }, res => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end('{}')
  })
}

beforeAll(async () => {
  tmp = await tempDir()
  me = await SecondMe.init({ home: join(tmp.path, 'home'), passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
  server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, config: { rate: { perSecond: 1000, burst: 1000 } } })
  token = await readOrCreateToken(me.paths.root)
})

afterAll(async () => {
  await server.close()
  await me.close()
  await tmp[Symbol.asyncDispose]()
})

describe('HTTP /api', () => {
  it('runs ops with their params and returns their results as JSON', async () => {
    const added = await post('/api/remember', { text: 'I grow tomatoes on the balcony every summer', visibility: 'shareable' })
    expect(added.status).toBe(200)
    const recalled = await post('/api/recall', { query: 'tomatoes balcony', k: 3 })
    expect(recalled.status).toBe(200)
    expect(JSON.stringify(recalled.json)).toContain('tomatoes')
    const status = await post('/api/status', '')
    expect((status.json as { peerId: string }).peerId).toBe(me.peerId)
  })

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    const before = me.memory.size
    const none = await fetch(server.url + '/api/remember', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'should not be stored' }) })
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Bearer')
    expect(await none.json()).toMatchObject({ error: { code: 'E_DENIED' } })
    const wrong = await post('/api/remember', { text: 'should not be stored either' }, { authorization: 'Bearer smt_wrong' })
    expect(wrong.status).toBe(401)
    expect(me.memory.size).toBe(before)
  })

  it('maps bad input, unknown ops and non-JSON bodies to stable codes', async () => {
    expect(await post('/api/recall', { query: '' })).toMatchObject({ status: 400, json: { error: { code: 'E_BAD_INPUT' } } })
    expect(await post('/api/no.such.op', {})).toMatchObject({ status: 404, json: { error: { code: 'E_NOT_FOUND' } } })
    expect(await post('/api/recall', '{not json')).toMatchObject({ status: 400, json: { error: { code: 'E_BAD_INPUT' } } })
    expect(await post('/api/recall', 'query=x', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ status: 400 })
    expect(await post('/api/forget', { id: 'missing-id' })).toMatchObject({ status: 404, json: { error: { code: 'E_NOT_FOUND' } } })
    expect(await post('/api/peers', {})).toMatchObject({ status: 503, json: { error: { code: 'E_NODE_NOT_RUNNING' } } })
  })

  it('checks Host and Origin (DNS rebinding, cross-site pages)', async () => {
    const port = server.address.port
    expect(await rawGet('/api/status', { host: `127.0.0.1:${port}` })).toBe(200)
    expect(await rawGet('/api/status', { host: `localhost:${port}` })).toBe(200)
    expect(await rawGet('/api/status', { host: `evil.example:${port}` })).toBe(403)
    expect(await rawGet('/api/status', { host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403)
    expect(await rawGet('/api/status', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).toBe(200)
    const res = await fetch(server.url + '/api/status', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a body over the limit with 413 before running anything', async () => {
    const res = await post('/api/remember', { text: 'x'.repeat(1_100_000) })
    expect(res).toMatchObject({ status: 413, json: { error: { code: 'E_FRAME_TOO_LARGE' } } })
    // A chunked body declares no length: it is counted as it streams.
    const before = me.memory.size
    const chunk = new TextEncoder().encode('x'.repeat(100_000))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"text":"'))
        if (sent++ < 12) controller.enqueue(chunk)
        else { controller.enqueue(new TextEncoder().encode('"}')); controller.close() }
      }
    })
    const chunked = await fetch(server.url + '/api/remember', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(me.memory.size).toBe(before)
  })

  it('publishes OpenAPI 3.1 for every op, and offline docs', async () => {
    const doc = await (await fetch(server.url + '/api/openapi.json')).json() as { openapi: string, paths: Record<string, unknown> }
    expect(doc.openapi).toBe('3.1.0')
    for (const op of ALL_OPS) expect(doc.paths[`/api/${op.name}`]).toBeDefined()
    const html = await (await fetch(server.url + '/api/docs')).text()
    expect(html).toContain('/api/recall')
    expect(html).not.toMatch(/<script|https?:\/\/cdn/i)
  })

  it('takes a rotated token without a restart', async () => {
    const old = token
    token = await rotateToken(me.paths.root)
    await expect.poll(async () => (await post('/api/status', {}, { authorization: `Bearer ${old}` })).status, { timeout: 3000, interval: 200 }).toBe(401)
    expect((await post('/api/status', {})).status).toBe(200)
  })
})

describe('HTTP limits', () => {
  it('rate-limits per client with 429 and Retry-After', async () => {
    const small = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, config: { rate: { perSecond: 0.001, burst: 3 } } })
    try {
      const codes: number[] = []
      for (let i = 0; i < 5; i++) {
        const res = await fetch(small.url + '/api/status', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
        codes.push(res.status)
        await res.body?.cancel()
      }
      expect(codes).toEqual([200, 200, 200, 429, 429])
    } finally {
      await small.close()
    }
  })

  it('parses listen addresses and knows loopback', () => {
    expect(parseListen('127.0.0.1:7777')).toEqual({ host: '127.0.0.1', port: 7777 })
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(parseListen('off')).toBeUndefined()
    expect(() => parseListen('7777')).toThrow(/host:port/)
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('0.0.0.0')).toBe(false)
  })
})
