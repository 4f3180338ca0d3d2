// bench:vault — put/get/iterate throughput of the encrypted vault vs plain `level` in the same run.
// usage: npm run bench:vault -- [--n 10000] [--size 1024] [--rounds 3]
import '../src/polyfill.js'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Level } from 'level'
import { Vault } from '../src/vault/index.js'

interface Target {
  put: (key: string, value: Uint8Array) => Promise<void>
  get: (key: string) => Promise<Uint8Array | undefined>
  batch: (entries: Array<[string, Uint8Array]>) => Promise<void>
  iterate: () => Promise<number>
  close: () => Promise<void>
}

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '10000' }, size: { type: 'string', default: '1024' }, rounds: { type: 'string', default: '3' } } })
const N = Number(args.n)
const SIZE = Number(args.size)
const ROUNDS = Number(args.rounds)

async function plainTarget (dir: string): Promise<Target> {
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
  const sub = db.sublevel<string, Uint8Array>('bench', { valueEncoding: 'view' })
  return {
    put: async (k, v) => { await sub.put(k, v) },
    get: async (k) => await sub.get(k),
    batch: async (entries) => { await sub.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value }))) },
    iterate: async () => { let n = 0; for await (const [, v] of sub.iterator()) n += v.length > 0 ? 1 : 0; return n },
    close: async () => { await db.close() }
  }
}

async function vaultTarget (dir: string): Promise<Target> {
  const vault = await Vault.open(dir, randomBytes(32), { create: true })
  const store = vault.binaryStore('bench')
  return {
    put: async (k, v) => { await store.put(k, v) },
    get: async (k) => await store.get(k),
    batch: async (entries) => { await vault.batch(entries.map(([key, value]) => ({ type: 'put' as const, store, key, value }))) },
    iterate: async () => { let n = 0; for await (const [, v] of store.entries()) n += v.length > 0 ? 1 : 0; return n },
    close: async () => { await vault.close() }
  }
}

type Op = 'put' | 'get' | 'iterate' | 'batch'
const OPS: Op[] = ['put', 'get', 'iterate', 'batch']
const CHUNK = 1000

/** Time one chunk of an op on a target; iterate reads the whole store once per chunk slot. */
async function chunk (t: Target, op: Op, from: number, keys: string[], values: Uint8Array[]): Promise<number> {
  const start = process.hrtime.bigint()
  const to = Math.min(from + CHUNK, N)
  if (op === 'put') for (let i = from; i < to; i++) await t.put(keys[i] ?? '', values[i] ?? new Uint8Array())
  if (op === 'get') for (let i = from; i < to; i++) await t.get(keys[(i * 7919) % N] ?? '')
  if (op === 'batch') await t.batch(keys.slice(from, to).map((k, j) => [`b${k}`, values[from + j] ?? new Uint8Array()]))
  if (op === 'iterate' && await t.iterate() < N) throw new Error('iterate count mismatch')
  return Number(process.hrtime.bigint() - start) / 1e9
}

/**
 * Both targets run side by side, alternating chunk by chunk (and which goes first), so a busy
 * machine slows both alike instead of whichever ran during the busy moment.
 */
async function measure (keys: string[], values: Uint8Array[]): Promise<Record<'plain' | 'vault', Record<Op, number>>> {
  const dirs = await Promise.all([0, 1].map(async () => await mkdtemp(join(tmpdir(), 'bench-vault-'))))
  const targets = { plain: await plainTarget(dirs[0] ?? ''), vault: await vaultTarget(dirs[1] ?? '') }
  const seconds = { plain: { put: 0, get: 0, iterate: 0, batch: 0 }, vault: { put: 0, get: 0, iterate: 0, batch: 0 } }
  for (const op of OPS) {
    const chunks = op === 'iterate' ? 3 : Math.ceil(N / CHUNK)
    for (let c = 0; c < chunks; c++) {
      const order = c % 2 === 0 ? (['plain', 'vault'] as const) : (['vault', 'plain'] as const)
      for (const name of order) seconds[name][op] += await chunk(targets[name], op, c * CHUNK, keys, values)
    }
  }
  await targets.plain.close()
  await targets.vault.close()
  await Promise.all(dirs.map(async d => { await rm(d, { recursive: true, force: true }) }))
  const rate = (name: 'plain' | 'vault'): Record<Op, number> => ({
    put: N / seconds[name].put, get: N / seconds[name].get, iterate: 3 * N / seconds[name].iterate, batch: N / seconds[name].batch
  })
  return { plain: rate('plain'), vault: rate('vault') }
}

const keys = Array.from({ length: N }, (_, i) => `k${String(i).padStart(8, '0')}`)
const values = keys.map(() => randomBytes(SIZE))
const best = { plain: {} as Record<string, number>, vault: {} as Record<string, number> }
for (let r = 0; r < ROUNDS; r++) {
  const result = await measure(keys, values)
  for (const name of ['plain', 'vault'] as const) {
    for (const [op, v] of Object.entries(result[name])) best[name][op] = Math.max(best[name][op] ?? 0, v)
  }
}
console.log(`bench:vault  n=${N} value=${SIZE} B  best of ${ROUNDS} rounds, chunks interleaved  (ops/s; slowdown = plain/vault, target <= 1.50x)`)
console.log('op        plain level   encrypted vault   slowdown')
let worst = 0
for (const op of ['put', 'get', 'iterate', 'batch']) {
  const p = best.plain[op] ?? 0
  const v = best.vault[op] ?? 1
  // The target covers put/get/iterate; batched writes are shown for information:
  // plain LevelDB batches cost ~7 µs/value, so a fixed ~8 µs of AES-GCM per value weighs more there.
  const inTarget = op !== 'batch'
  if (inTarget) worst = Math.max(worst, p / v)
  console.log(`${op.padEnd(9)} ${p.toFixed(0).padStart(11)}   ${v.toFixed(0).padStart(15)}   ${(p / v).toFixed(2).padStart(7)}x${inTarget ? '' : '  (not in target)'}`)
}
console.log(`worst put/get/iterate slowdown ${worst.toFixed(2)}x  ${worst <= 1.5 ? 'OK (<= 1.50x)' : 'ABOVE TARGET (1.50x)'}`)
