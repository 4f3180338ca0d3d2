import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmod, rm } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { runOp } from '../ops.js'
import { InputError, NetworkError, PolicyError } from '../errors.js'
import type { HomePaths } from '../home.js'
import type { SecondMe } from '../node.js'
import { BACKUP_OP, BackupParamsSchema, ControlRequestSchema, errorToWire, MAX_REQUEST_LINE, PING_OP, type ControlAnswer } from './protocol.js'
import { backupHome } from '../backup/index.js'
import { LineReader } from './lines.js'
import { removeRunFile, writeRunFile } from './run-file.js'

export interface ControlServer {
  readonly socketPath: string
  close: () => Promise<void>
}

export interface ControlServerInit {
  /** @default MAX_REQUEST_LINE */
  maxLineBytes?: number
}

/**
 * Serve `me`'s ops on the home's control socket while the node runs (the vault is locked by this
 * process, so other CLI processes come here). Every request must carry the token from the run file.
 * Bad requests get an error answer with a stable code; the server keeps serving.
 */
export async function startControlServer (me: SecondMe, paths: HomePaths = me.paths, init: ControlServerInit = {}): Promise<ControlServer> {
  await clearStaleSocket(paths.controlSocket)
  const token = randomBytes(32).toString('base64url')
  const sockets = new Set<Socket>()
  const server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveConnection(me, socket, token, init.maxLineBytes ?? MAX_REQUEST_LINE)
  })
  await listen(server, paths.controlSocket)
  await chmod(paths.controlSocket, 0o600)
  await writeRunFile(paths.runFile, { pid: process.pid, socket: paths.controlSocket, token, peerId: me.peerId, startedAt: new Date().toISOString() })
  let closed: Promise<void> | undefined
  return {
    socketPath: paths.controlSocket,
    close: async () => {
      closed ??= (async () => {
        const done = new Promise<void>(resolve => server.close(() => { resolve() }))
        for (const s of sockets) s.destroy()
        await done
        await removeRunFile(paths.runFile, token)
        await rm(paths.controlSocket, { force: true })
      })()
      await closed
    }
  }
}

/** A socket file nobody answers on is left over from a crash; a live one means a node runs. */
async function clearStaleSocket (path: string): Promise<void> {
  const alive = await new Promise<boolean>(resolve => {
    const probe = createConnection(path)
    probe.once('connect', () => { probe.destroy(); resolve(true) })
    probe.once('error', () => { resolve(false) })
  })
  if (alive) throw new NetworkError('E_NODE_RUNNING', `a node already serves this home (${path})`)
  await rm(path, { force: true })
}

async function listen (server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => { server.off('error', reject); resolve() })
  })
}

function serveConnection (me: SecondMe, socket: Socket, token: string, maxLine: number): void {
  const inFlight = new Set<AbortController>()
  const send = (answer: ControlAnswer): void => {
    if (!socket.destroyed) socket.write(JSON.stringify(answer) + '\n')
  }
  const reader = new LineReader(maxLine)
  socket.on('data', (chunk: Buffer) => {
    const { lines, overflow } = reader.push(chunk)
    for (const line of lines) void handleLine(me, line, token, send, inFlight)
    if (overflow) {
      // A line with no end in sight cannot be resynchronised: answer once and hang up.
      send({ id: null, error: errorToWire(new NetworkError('E_FRAME_TOO_LARGE', `a request line exceeds ${maxLine} bytes`)) })
      socket.end()
      socket.pause()
    }
  })
  socket.on('error', () => { socket.destroy() })
  socket.on('close', () => { for (const c of inFlight) c.abort(new NetworkError('E_TIMEOUT', 'the client went away')) })
}

async function handleLine (me: SecondMe, line: string, token: string, send: (a: ControlAnswer) => void, inFlight: Set<AbortController>): Promise<void> {
  if (line.trim() === '') return
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch {
    send({ id: null, error: errorToWire(new NetworkError('E_BAD_MESSAGE', 'a request line is not JSON')) })
    return
  }
  const parsed = ControlRequestSchema.safeParse(raw)
  if (!parsed.success) {
    send({ id: idOf(raw), error: errorToWire(new NetworkError('E_BAD_MESSAGE', `bad request: ${parsed.error.issues[0]?.message ?? 'invalid'}`)) })
    return
  }
  const { id, op, params } = parsed.data
  if (!sameToken(parsed.data.token, token)) {
    send({ id, error: errorToWire(new PolicyError('E_DENIED', 'wrong control-channel token')) })
    return
  }
  if (op === PING_OP) {
    send({ id, result: { peerId: me.peerId, pid: process.pid } })
    return
  }
  const controller = new AbortController()
  inFlight.add(controller)
  try {
    const result = op === BACKUP_OP ? await backup(me, params) : await runOp(me, op, params ?? {}, {
      signal: controller.signal,
      onProgress: progress => { send({ id, event: 'progress', progress }) },
      onText: text => { send({ id, event: 'text', text }) }
    })
    send({ id, result: result ?? null })
  } catch (err) {
    send({ id, error: errorToWire(err) })
  } finally {
    inFlight.delete(controller)
  }
}

async function backup (me: SecondMe, params: unknown): Promise<unknown> {
  const parsed = BackupParamsSchema.safeParse(params)
  if (!parsed.success) throw new InputError('E_BAD_INPUT', 'backup needs {file}')
  return await backupHome(me, parsed.data.file)
}

function sameToken (given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

function idOf (raw: unknown): string | number | null {
  if (typeof raw !== 'object' || raw === null) return null
  const id = (raw as { id?: unknown }).id
  return (typeof id === 'string' && id.length <= 100) || (typeof id === 'number' && Number.isInteger(id)) ? id : null
}
