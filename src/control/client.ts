import { rm } from 'node:fs/promises'
import { createConnection, type Socket } from 'node:net'
import type { OpContext } from '../api/op.js'
import type { OpName, ResultOf, UserParamsOf } from '../ops.js'
import { NetworkError } from '../errors.js'
import type { HomePaths } from '../home.js'
import { LineReader } from './lines.js'
import { ControlAnswerSchema, errorFromWire, MAX_ANSWER_LINE, PING_OP } from './protocol.js'
import { processAlive, readRunFile, removeRunFile } from './run-file.js'

/** Calls an op on a node already running for this home (over its control channel). */
export type RemoteCaller = (name: string, params: unknown, ctx: OpContext) => Promise<unknown>
/** The same with the op's types (params as a door forwards them; the registry checks them). */
export type TypedCaller = <N extends OpName>(name: N, params: UserParamsOf<N>, ctx?: OpContext) => Promise<ResultOf<N>>

/** A by-name caller typed by op: the one place an answer from a door's `runOp` gets its op's result type. */
export function typedCaller (byName: RemoteCaller): TypedCaller {
  // The op named N ran through a registry (this process's or the node's): its answer is that op's result.
  return async <N extends OpName>(name: N, params: UserParamsOf<N>, ctx: OpContext = {}) => await byName(name, params, ctx) as ResultOf<N>
}

/**
 * The CLI's RemoteConnector: a caller that runs ops in the node serving this home, or undefined
 * when none runs (a stale run file or dead socket left by a crash is removed on the way).
 */
export async function connectControl (paths: HomePaths): Promise<RemoteCaller | undefined> {
  const run = await readRunFile(paths.runFile)
  if (run === undefined) return undefined
  if (run === 'malformed' || !processAlive(run.pid)) {
    await clearStale(paths)
    return undefined
  }
  let socket: Socket
  try {
    socket = await connect(paths.controlSocket)
  } catch {
    await clearStale(paths)
    return undefined
  }
  socket.destroy()
  const caller: RemoteCaller = async (name, params, ctx) => await callControl(paths.controlSocket, run.token, name, params, ctx)
  // A wrong token (a run file from another node) fails here, loudly, rather than on every op.
  await caller(PING_OP, {}, {})
  return caller
}

async function clearStale (paths: HomePaths): Promise<void> {
  await removeRunFile(paths.runFile)
  await rm(paths.controlSocket, { force: true })
}

async function connect (path: string): Promise<Socket> {
  return await new Promise<Socket>((resolve, reject) => {
    const socket = createConnection(path)
    socket.once('connect', () => { socket.off('error', reject); resolve(socket) })
    socket.once('error', reject)
  })
}

/** One op over one connection: streams progress/text to `ctx`, resolves with the result. */
export async function callControl (socketPath: string, token: string, op: string, params: unknown, ctx: OpContext = {}): Promise<unknown> {
  ctx.signal?.throwIfAborted()
  let socket: Socket
  try {
    socket = await connect(socketPath)
  } catch (err) {
    throw new NetworkError('E_NODE_NOT_RUNNING', 'the running node does not answer on its control socket', { cause: err })
  }
  let resolve!: (value: unknown) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<unknown>((res, rej) => { resolve = res; reject = rej })
  const reader = new LineReader(MAX_ANSWER_LINE)
  const onAbort = (): void => { reject(ctx.signal?.reason); socket.destroy() }
  ctx.signal?.addEventListener('abort', onAbort, { once: true })
  socket.on('data', (chunk: Buffer) => {
    const { lines, overflow } = reader.push(chunk)
    if (overflow) reject(new NetworkError('E_FRAME_TOO_LARGE', 'the node sent an oversized answer'))
    for (const line of lines) {
      const answer = ControlAnswerSchema.safeParse(safeJson(line))
      if (!answer.success || answer.data.id !== 1) continue
      const a = answer.data
      if ('event' in a) {
        if (a.event === 'progress') ctx.onProgress?.(stripUndefined(a.progress))
        else ctx.onText?.(a.text)
      } else if ('error' in a) reject(errorFromWire(a.error))
      else resolve(a.result)
    }
  })
  socket.on('error', () => {})
  socket.on('close', () => { reject(new NetworkError('E_NODE_NOT_RUNNING', 'the node closed the control channel before answering')) })
  socket.write(JSON.stringify({ id: 1, token, op, params }) + '\n')
  try {
    return await promise
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort)
    socket.destroy()
  }
}

function stripUndefined (p: { phase: string, done: number, total?: number | undefined, detail?: string | undefined }): { phase: string, done: number, total?: number, detail?: string } {
  return { phase: p.phase, done: p.done, ...(p.total === undefined ? {} : { total: p.total }), ...(p.detail === undefined ? {} : { detail: p.detail }) }
}

function safeJson (line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
