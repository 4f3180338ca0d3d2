import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { readConfig, writeConfig } from '../../src/config.js'
import { connectControl, typedCaller, type TypedCaller } from '../../src/control/client.js'
import { homePaths } from '../../src/home.js'
import { SecondMe } from '../../src/node.js'
import type { Lab } from './lab.js'

// `secondme start` processes in the lab's namespaces. The lab's driver (a test or a benchmark, in
// the host's namespace) calls their ops through each home's control socket: a Unix socket file,
// reachable from any network namespace.

export const LAB_PASSPHRASE = 'netlab'
export const LAB_PORT = 4001

export interface MemorySeed { text: string, visibility: 'private' | 'shareable', topic: string }

export interface HomeSpec {
  name: string
  topics?: string[]
  memories?: MemorySeed[]
}

export interface LabNode {
  host: string
  home: string
  peerId: string
  child: ChildProcess
  /** Run an op in the node (as the CLI would). */
  call: TypedCaller
  stop: () => Promise<number | null>
}

/** A fresh home with a display name, public topics and a few memories (lexical recall only). */
export async function makeHome (dir: string, spec: HomeSpec, kdf?: { N: number, r: number, p: number }): Promise<void> {
  const me = await SecondMe.init({ home: dir, passphrase: LAB_PASSPHRASE, displayName: spec.name, ...(kdf === undefined ? {} : { kdf }), memory: { embedder: null } })
  for (const m of spec.memories ?? []) await me.memory.addText(m.text, { visibility: m.visibility, topics: [m.topic] })
  await me.close()
  const config = await readConfig(join(dir, 'config.json'))
  await writeConfig(join(dir, 'config.json'), {
    ...config,
    memory: { ...config.memory, embedder: 'none' },
    net: { topics: spec.topics ?? [], bio: `${spec.name} in the NAT lab`, announceIntervalMs: 60_000 }
  })
}

/** Start `secondme start` for `home` inside lab host `host`; resolves once it serves its control socket. */
export async function startNode (lab: Lab, host: string, home: string, repoRoot: string, args: string[]): Promise<LabNode> {
  const bin = join(repoRoot, 'bin/secondme.js')
  const child = lab.spawn(host, [process.execPath, bin, '--home', home, '--json', 'start', '--http', 'off', ...args], { ...process.env, SECONDME_PASSPHRASE: LAB_PASSPHRASE })
  let out = ''
  let err = ''
  child.stderr?.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-4000) })
  const ready = await new Promise<{ peerId: string }>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${host}: secondme start did not come up: ${err}`)) }, 90_000)
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      try {
        const parsed = JSON.parse(out) as { peerId: string }
        clearTimeout(timer)
        resolve(parsed)
      } catch { /* not complete yet */ }
    })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`${host}: secondme start exited ${code}: ${err}`)) })
  })
  const remote = await connectControl(homePaths(home))
  if (remote === undefined) throw new Error(`${host}: no control socket`)
  return {
    host,
    home,
    peerId: ready.peerId,
    child,
    call: typedCaller(remote),
    stop: async () => await stopChild(child)
  }
}

export async function stopChild (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = new Promise<number | null>(resolve => child.once('exit', code => { resolve(code) }))
  child.kill('SIGINT')
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 15_000)
  try {
    return await exited
  } finally {
    clearTimeout(timer)
  }
}

/** Poll `fn` until it returns a value (not undefined) or `ms` pass. */
export async function until<T> (what: string, fn: () => Promise<T | undefined>, ms = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v !== undefined) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

export interface NetworkStatus {
  reachability: string
  relays: string[]
  addresses: string[]
  dhtMode: string
  connections: { direct: number, relayed: number }
}

export async function networkOf (node: LabNode): Promise<NetworkStatus | undefined> {
  const status = await node.call('status', {})
  return status.network
}
