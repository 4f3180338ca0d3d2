import { spawnSync } from 'node:child_process'
import { stat, writeFile } from 'node:fs/promises'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callControl, connectControl, readRunFile, startControlServer, type ControlServer } from '../../src/control/index.js'
import { PolicyError, InputError } from '../../src/errors.js'
import { Identity } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import type { ProgressEvent } from '../../src/ops.js'
import { runCli } from '../helpers/cli.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

let dir: Awaited<ReturnType<typeof tempDir>>
let me: SecondMe
let server: ControlServer | undefined

beforeEach(async () => {
  dir = await tempDir('sm-ctl-')
  me = await SecondMe.init({ home: dir.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
})

afterEach(async () => {
  await server?.close()
  server = undefined
  await me.close()
  await dir[Symbol.asyncDispose]()
})

async function tokenOf (): Promise<string> {
  const run = await readRunFile(me.paths.runFile)
  if (run === undefined || run === 'malformed') throw new Error('no run file')
  return run.token
}

/** Send raw lines on one connection and collect the answers (one per expected line). */
async function rawExchange (payload: string | Buffer, expected: number): Promise<Array<Record<string, unknown>>> {
  const socket = createConnection(me.paths.controlSocket)
  const answers: Array<Record<string, unknown>> = []
  let buffer = ''
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) answers.push(JSON.parse(line) as Record<string, unknown>)
      if (answers.length >= expected) resolve()
    })
    socket.on('error', reject)
    socket.on('close', () => { resolve() })
    socket.write(payload)
  })
  socket.destroy()
  return answers
}

describe('control channel', () => {
  it('serves ops to a client that presents the token, with private file modes', async () => {
    server = await startControlServer(me)
    expect((await stat(me.paths.controlSocket)).mode & 0o777).toBe(0o600)
    expect((await stat(me.paths.runFile)).mode & 0o777).toBe(0o600)
    const call = await connectControl(me.paths)
    expect(call).toBeDefined()
    expect(await call!('status', {}, {})).toMatchObject({ peerId: me.peerId })
    const peer = (await Identity.generate()).id
    const issued = await call!('grant', { peer, actions: ['converse'], durationSec: 600 }, {}) as { id: string, token: string }
    expect(issued.token.startsWith('smg1.')).toBe(true)
    // The op ran in the serving node: its own policy sees the grant.
    expect((await me.policy.book.list()).issued.map(g => g.id)).toEqual([issued.id])
    // Errors keep their class and code across the channel.
    await expect(call!('revoke', { id: 'ffffffffff' }, {})).rejects.toBeInstanceOf(InputError)
    await expect(call!('grants.import', { token: issued.token }, {})).rejects.toSatisfy(e => e instanceof PolicyError && e.code === 'E_GRANT_AUDIENCE')
  })

  it('streams progress events to the caller', async () => {
    server = await startControlServer(me)
    const file = join(dir.path, 'notes.txt')
    await writeFile(file, 'I went hiking in the Alps last summer.\n\nI like cooking pasta on Sundays.\n')
    const events: ProgressEvent[] = []
    const call = await connectControl(me.paths)
    const result = await call!('ingest', { paths: [file], embed: false }, { onProgress: e => { events.push(e) } })
    expect(result).toBeDefined()
    expect(events.length).toBeGreaterThan(0)
    expect(events[0]).toHaveProperty('phase')
  })

  it('refuses a wrong token, garbage, unknown ops and bad params, and keeps serving', async () => {
    server = await startControlServer(me)
    const token = await tokenOf()
    await expect(callControl(me.paths.controlSocket, 'not-the-token', 'status', {})).rejects.toMatchObject({ code: 'E_DENIED' })
    const answers = await rawExchange([
      'this is not json',
      JSON.stringify({ id: 7, op: 'status' }),
      JSON.stringify({ id: 8, token, op: 'no.such.op', params: {} }),
      JSON.stringify({ id: 9, token, op: 'grant', params: { peer: 'x' } }),
      JSON.stringify({ id: 10, token: 'wrong', op: 'status' }),
      JSON.stringify({ id: 11, token, op: 'status' })
    ].join('\n') + '\n', 6)
    const byId = new Map(answers.map(a => [a.id, a]))
    expect(byId.get(null)).toMatchObject({ error: { code: 'E_BAD_MESSAGE' } })
    expect(byId.get(7)).toMatchObject({ error: { code: 'E_BAD_MESSAGE' } })
    expect(byId.get(8)).toMatchObject({ error: { code: 'E_USAGE' } })
    expect(byId.get(9)).toMatchObject({ error: { code: 'E_BAD_INPUT' } })
    expect(byId.get(10)).toMatchObject({ error: { code: 'E_DENIED' } })
    expect(byId.get(11)).toMatchObject({ result: { peerId: me.peerId } })
    expect(await callControl(me.paths.controlSocket, token, 'status', {})).toMatchObject({ peerId: me.peerId })
  })

  it('answers an oversized line with E_FRAME_TOO_LARGE, hangs up, and serves the next client', async () => {
    server = await startControlServer(me, me.paths, { maxLineBytes: 4096 })
    const answers = await rawExchange(Buffer.alloc(64 * 1024, 0x61), 1)
    expect(answers).toEqual([{ id: null, error: { code: 'E_FRAME_TOO_LARGE', message: expect.any(String) as string } }])
    expect(await callControl(me.paths.controlSocket, await tokenOf(), 'status', {})).toMatchObject({ peerId: me.peerId })
  })

  it('refuses a second server on the same home and cleans up on close', async () => {
    server = await startControlServer(me)
    await expect(startControlServer(me)).rejects.toMatchObject({ code: 'E_NODE_RUNNING' })
    await server.close()
    server = undefined
    await expect(stat(me.paths.runFile)).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(stat(me.paths.controlSocket)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await connectControl(me.paths)).toBeUndefined()
  })

  it('treats a run file of a dead process or a dead socket as stale and removes it', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!
    const stale = { pid: deadPid, socket: me.paths.controlSocket, token: 'x'.repeat(43), peerId: me.peerId, startedAt: new Date().toISOString() }
    await writeFile(me.paths.runFile, JSON.stringify(stale), { mode: 0o600 })
    await writeFile(me.paths.controlSocket, '')
    expect(await connectControl(me.paths)).toBeUndefined()
    await expect(stat(me.paths.runFile)).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(stat(me.paths.controlSocket)).rejects.toMatchObject({ code: 'ENOENT' })
    // A live pid (ours) but nobody listening: also stale.
    await writeFile(me.paths.runFile, JSON.stringify({ ...stale, pid: process.pid }), { mode: 0o600 })
    expect(await connectControl(me.paths)).toBeUndefined()
    await expect(stat(me.paths.runFile)).rejects.toMatchObject({ code: 'ENOENT' })
    // A leftover socket file does not stop a new server from starting.
    await writeFile(me.paths.controlSocket, '')
    server = await startControlServer(me)
    expect(await connectControl(me.paths)).toBeDefined()
  })

  it('lets the real CLI work against the running node (no passphrase, vault locked here)', async () => {
    server = await startControlServer(me)
    const peer = (await Identity.generate()).id
    const env = { SECONDME_PASSPHRASE: undefined }
    const grant = await runCli(['--home', dir.path, 'grant', peer, '--actions', 'memory:read,converse', '--topics', 'hiking', '--expires', '2h'], env)
    expect(grant.stderr).toContain('grant ')
    expect(grant.code).toBe(0)
    expect(grant.stdout.trim()).toMatch(/^smg1\./)
    const listed = await runCli(['--home', dir.path, '--json', 'grants'], env)
    expect(JSON.parse(listed.stdout)).toMatchObject({ issued: [{ peer, status: 'active', topics: ['hiking'] }] })
    const verify = await runCli(['--home', dir.path, 'audit', 'verify'], env)
    expect(verify.stdout).toContain('audit log intact: 1 entries')
  })
})
