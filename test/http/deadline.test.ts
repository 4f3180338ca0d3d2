import { execFileSync } from 'node:child_process'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOrCreateToken, startHttpServer, type HttpServer } from '../../src/http/index.js'
import { SecondMe } from '../../src/node.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

// An ingest of a named pipe waits, inside the op, until the test opens the pipe for writing: the op
// is provably running while its deadline passes or the server closes, with no sleeps in the test.

let tmp: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
let token: string
let n = 0

beforeAll(async () => {
  tmp = await tempDir()
  me = await SecondMe.init({ home: join(tmp.path, 'home'), passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
  token = await readOrCreateToken(me.paths.root)
})

afterAll(async () => {
  await me.close()
  await tmp[Symbol.asyncDispose]()
})

function fifo (): string {
  const path = join(tmp.path, `notes-${n++}.txt`)
  execFileSync('mkfifo', [path])
  return path
}

async function ingest (server: HttpServer, paths: string[]): Promise<{ status: number, code: string }> {
  const res = await fetch(server.url + '/api/ingest', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ paths })
  })
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }
}

/** Returns once the op has opened the pipe for reading (which it does when it checks the file). */
async function release (path: string): Promise<void> {
  await (await open(path, 'w')).close()
}

describe.skipIf(process.platform === 'win32')('HTTP deadlines and close', () => {
  it('answers 504 when an op passes its deadline, and the op writes nothing', async () => {
    const server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 }, config: { timeoutMs: 100 } })
    const path = fifo()
    const before = me.memory.size
    try {
      expect(await ingest(server, [path])).toEqual({ status: 504, code: 'E_TIMEOUT' })
      await release(path)
    } finally {
      // Close waits for the op, which is still running after its answer went out.
      await server.close()
    }
    expect(me.memory.size).toBe(before)
  })

  it('aborts running ops on close (503) and waits for them to end', async () => {
    const server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 } })
    const [first, second] = [fifo(), fifo()]
    const before = me.memory.size
    // Both files are checked at once: the first pipe shows the op runs, the second holds it.
    const answer = ingest(server, [first, second])
    await release(first)
    const closing = server.close()
    expect(await answer).toEqual({ status: 503, code: 'E_CLOSED' })
    await release(second)
    await closing
    expect(me.memory.size).toBe(before)
  })
})
