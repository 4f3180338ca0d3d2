import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { NetNode } from '../src/net/index.js'
import { parseNetConfig } from '../src/net/config.js'
import { SecondMe } from '../src/node.js'

// `bench:net -- --flood [--seconds 15] [--concurrency 32]`: one attacker (its own process, a valid
// grant, `concurrency` parallel streams, as fast as answers come) against a real Second Me with its
// default per-peer quota, while 5 honest peers each query at a steady human-ish pace. Honest latency
// is measured without and then with the flood. Targets: honest p99 <= 2x unloaded, attacker throttled.

const HONEST = 5
const PAUSE_MS = 100
const QUERY = 'weekend plans sailing'

interface Honest { node: NetNode, grant: Record<string, unknown> }

function pct (ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}

async function honestLoad (server: SecondMe, peers: Honest[], seconds: number): Promise<number[]> {
  const until = Date.now() + seconds * 1000
  const times: number[] = []
  await Promise.all(peers.map(async ({ node, grant }) => {
    while (Date.now() < until) {
      const t = performance.now()
      await node.client.queryMemory(server.peerId, grant, QUERY, 5)
      times.push(performance.now() - t)
      await new Promise(resolve => setTimeout(resolve, PAUSE_MS))
    }
  }))
  return times
}

async function attacker (server: SecondMe, seconds: number, concurrency: number): Promise<{ done: Promise<{ sent: number, ok: number, errors: Record<string, number> }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'flood-attacker.ts'), server.net!.multiaddrs()[0]!, String(seconds), String(concurrency)], { stdio: ['pipe', 'pipe', 'inherit'] })
  process.once('exit', () => { child.kill('SIGKILL') })
  const lines = createInterface({ input: child.stdout })
  const it = lines[Symbol.asyncIterator]()
  const { peerId } = JSON.parse((await it.next()).value as string) as { peerId: string }
  const grant = (await server.policy.issue({ aud: peerId, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['sailing'] }, durationSec: 3600 })).token
  child.stdin.write(JSON.stringify({ grant, serverId: server.peerId }) + '\n')
  const done = (async () => JSON.parse((await it.next()).value as string) as { sent: number, ok: number, errors: Record<string, number> })()
  return { done }
}

export async function runFlood (seconds: number, concurrency: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'secondme-flood-'))
  const server = await SecondMe.init({ home: join(dir, 'server'), passphrase: 'bench', kdf: { N: 1024, r: 8, p: 1 }, memory: { embedder: null } })
  const peers: Honest[] = []
  try {
    for (let i = 0; i < 200; i++) await server.memory.addText(`note ${i}: weekend plans number ${i} include sailing on the lake`, { visibility: 'shareable', topics: ['sailing'] })
    // The node's own default quota: what an attacker meets in the field.
    await server.start({ transport: 'tcp', listen: ['/ip4/127.0.0.1/tcp/0'], simulation: true })
    const rate = parseNetConfig(server.config.net).rate
    for (let i = 0; i < HONEST; i++) {
      const node = await NetNode.create({ privateKey: await generateKeyPair('Ed25519'), transport: 'tcp', listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [server.net!.multiaddrs()[0]!], simulation: true, announce: false, profile: () => ({ topics: [] }) })
      await node.start()
      const grant = (await server.policy.issue({ aud: node.peerId, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['sailing'] }, durationSec: 3600 })).token as unknown as Record<string, unknown>
      peers.push({ node, grant })
    }
    await honestLoad(server, peers, 2) // warm-up
    const quiet = await honestLoad(server, peers, seconds)
    const attack = await attacker(server, seconds + 2, concurrency)
    await new Promise(resolve => setTimeout(resolve, 1000)) // the flood is under way
    const flooded = await honestLoad(server, peers, seconds)
    const stats = await attack.done
    const ratio = pct(flooded, 0.99) / pct(quiet, 0.99)
    const fmt = (ms: number[]): string => `p50 ${pct(ms, 0.5).toFixed(1)} ms  p99 ${pct(ms, 0.99).toFixed(1)} ms  n=${ms.length}`
    const limited = stats.errors.E_RATE_LIMITED ?? 0
    const answeredPerSec = stats.ok / (seconds + 2)
    console.log(`bench:net --flood  ${HONEST} honest peers (one query each ${PAUSE_MS} ms apart) vs 1 attacker (${concurrency} streams, own process), ${seconds} s per phase, tcp`)
    console.log(`honest unloaded      ${fmt(quiet)}`)
    console.log(`honest under flood   ${fmt(flooded)}`)
    console.log(`honest p99 ratio     ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 ? 'met' : 'MISSED'}`)
    console.log(`attacker             sent ${stats.sent} in ${seconds + 2} s (${(stats.sent / (seconds + 2)).toFixed(0)}/s), answered ${stats.ok} (${answeredPerSec.toFixed(1)}/s), refused ${limited} E_RATE_LIMITED, other errors ${JSON.stringify(Object.fromEntries(Object.entries(stats.errors).filter(([c]) => c !== 'E_RATE_LIMITED')))}`)
    console.log(`attacker throttled   answered ${answeredPerSec.toFixed(1)}/s against a quota of ${rate.refillPerSecond}/s after a burst of ${rate.capacity}: ${answeredPerSec <= rate.refillPerSecond + rate.capacity / (seconds + 2) + 1 ? 'yes' : 'NO'}`)
    console.log(`load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`)
  } finally {
    await Promise.all(peers.map(async p => { await p.node.stop() }))
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}
