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

async function timed (fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e9
}

async function measure (make: (dir: string) => Promise<Target>, keys: string[], values: Uint8Array[]): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-vault-'))
  const t = await make(dir)
  const put = await timed(async () => { for (let i = 0; i < N; i++) await t.put(keys[i] ?? '', values[i] ?? new Uint8Array()) })
  const order = keys.map((_, i) => (i * 7919) % N)
  const get = await timed(async () => { for (const i of order) await t.get(keys[i] ?? '') })
  const iterate = await timed(async () => { if (await t.iterate() !== N) throw new Error('iterate count mismatch') })
  const batch = await timed(async () => {
    for (let i = 0; i < N; i += 1000) await t.batch(keys.slice(i, i + 1000).map((k, j) => [`b${k}`, values[i + j] ?? new Uint8Array()]))
  })
  await t.close()
  await rm(dir, { recursive: true, force: true })
  return { put: N / put, get: N / get, iterate: N / iterate, batch: N / batch }
}

const keys = Array.from({ length: N }, (_, i) => `k${String(i).padStart(8, '0')}`)
const values = keys.map(() => randomBytes(SIZE))
const best = { plain: {} as Record<string, number>, vault: {} as Record<string, number> }
for (let r = 0; r < ROUNDS; r++) {
  // alternate order so neither side always runs on a warmer cache
  const pair = r % 2 === 0 ? (['plain', 'vault'] as const) : (['vault', 'plain'] as const)
  for (const name of pair) {
    const result = await measure(name === 'plain' ? plainTarget : vaultTarget, keys, values)
    for (const [op, v] of Object.entries(result)) best[name][op] = Math.max(best[name][op] ?? 0, v)
  }
}
console.log(`bench:vault  n=${N} value=${SIZE} B  best of ${ROUNDS} rounds  (ops/s; slowdown = plain/vault, target <= 1.50x)`)
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
