import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'

// docker/compose.yaml's topology without Docker: five `secondme start` processes launched by the
// same docker/entrypoint.sh on TCP loopback; node1 writes its address, the others join from it.

const ENV = { SECONDME_PASSPHRASE: 'compose-test' }
const NODES = [
  { name: 'Ana', topics: 'painting,family', role: 'bootstrap' },
  { name: 'Ben', topics: 'camping,cooking' },
  { name: 'Chen', topics: 'volunteering,reading' },
  { name: 'Dara', topics: 'basketball,fitness' },
  { name: 'Eli', topics: 'sailing,music', share: 'I keep my boat in the harbour and sail every weekend', secret: 'The boat lock code is 4471' }
]

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
    })
    server.on('error', reject)
  })
}

async function cli (home: string, ...args: string[]): Promise<{ code: number | null, json: unknown, stderr: string }> {
  const r = await runCli(['--home', home, '--json', ...args], ENV)
  let json: unknown
  try { json = JSON.parse(r.stdout) } catch { json = undefined }
  return { code: r.code, json, stderr: r.stderr }
}

async function until<T> (what: string, probe: () => Promise<T | undefined>, tries = 60): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise(resolve => setTimeout(resolve, 1_000))
  }
  throw new Error(`gave up waiting for ${what}`)
}

describe('the docker compose topology as five processes on loopback', () => {
  it('joins through the bootstrap file, finds by topic over the DHT, shares in scope only', async () => {
    await using tmp = await tempDir()
    const bootstrapFile = join(tmp.path, 'shared', 'bootstrap.addr')
    const homes = NODES.map((_n, i) => join(tmp.path, `node${i + 1}`))
    const children: ChildProcess[] = []
    try {
      for (const [i, node] of NODES.entries()) {
        const port = await freePort()
        const child = spawn('sh', [join(REPO_ROOT, 'docker', 'entrypoint.sh')], {
          cwd: REPO_ROOT,
          stdio: 'ignore',
          env: {
            ...process.env, ...ENV,
            SECONDME_BIN: `${process.execPath} ${join(REPO_ROOT, 'bin', 'secondme.js')}`,
            SECONDME_HOME: homes[i], ROLE: node.role ?? 'peer', NODE_NAME: node.name, NODE_TOPICS: node.topics,
            NODE_SHARE: node.share ?? '', NODE_PRIVATE: node.secret ?? '',
            LISTEN_PORT: String(port), LISTEN: `/ip4/127.0.0.1/tcp/${port}`, ADVERTISE_HOST: '127.0.0.1', BOOTSTRAP_FILE: bootstrapFile,
            // Five nodes on one machine: each takes a free HTTP port.
            HTTP_LISTEN: '127.0.0.1:0',
            // The entrypoint execs the node, so the node is this worker's child: if the run is killed
            // or the test times out, it ends instead of living on as an orphan.
            SECONDME_EXIT_WITH_PARENT: '1'
          }
        })
        children.push(child)
        if (i === 0) await until('the bootstrap address', async () => await readFile(bootstrapFile, 'utf8').catch(() => undefined))
      }
      expect(await readFile(bootstrapFile, 'utf8')).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+\n$/)
      // One CLI process at a time: each costs a second of CPU, and the machine has two cores.
      const ids = new Map<number, string>()
      for (const i of [1, 4]) {
        ids.set(i, await until('a running node', async () => {
          const r = await cli(homes[i]!, 'profile')
          return r.code === 0 ? (r.json as { profile: { peerId: string } }).profile.peerId : undefined
        }))
      }

      // Ben only knows Ana's address; he finds Eli by topic through the DHT.
      const [ben, eli] = [homes[1]!, homes[4]!]
      await until('Eli found by topic', async () => {
        const r = await cli(ben, 'find', '--topic', 'sailing')
        const peers = ((r.json as { peers?: Array<{ peerId: string }> } | undefined)?.peers ?? []).map(p => p.peerId)
        return peers.includes(ids.get(4)!) ? true : undefined
      })
      const asked = await cli(ben, 'introduce', ids.get(4)!, '--actions', 'memory:read')
      expect(asked.json).toMatchObject({ status: 'pending' })
      const pending = (await cli(eli, 'consent', '--state', 'pending')).json as { requests: Array<{ id: string, peer: string }> }
      const request = pending.requests.find(r => r.peer === ids.get(1))
      expect((await cli(eli, 'consent', 'approve', request!.id)).code).toBe(0)
      expect((await cli(ben, 'introduce', ids.get(4)!, '--ticket', (asked.json as { ticket: string }).ticket)).json).toMatchObject({ status: 'granted' })
      const answer = await cli(ben, 'query', ids.get(4)!, 'boat harbour lock code')
      expect((answer.json as { items: Array<{ text: string }> }).items.map(i => i.text)).toEqual([NODES[4]!.share])
    } finally {
      await Promise.all(children.map(async child => {
        if (child.exitCode !== null) return
        const exited = new Promise(resolve => child.on('exit', resolve))
        child.kill('SIGINT')
        await exited
      }))
    }
  }, 300_000)
})
