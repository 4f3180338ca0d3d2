import { randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Vault, SCHEMA_VERSION, VaultStore, jsonCodec, type RepairEvent } from '../../src/vault/index.js'
import { ValueCipher } from '../../src/vault/cipher.js'
import { tempDir } from '../helpers/tmp.js'

const CANARY = 'CANARY-7f3a9-my-bank-pin-is-4921'

async function rawBytes (dir: string): Promise<Buffer> {
  const files = await readdir(dir)
  return Buffer.concat(await Promise.all(files.map(async f => await readFile(join(dir, f)))))
}

async function collect<T> (it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('vault', () => {
  it('round-trips values and never writes a plaintext value to disk', async () => {
    await using dir = await tempDir()
    const key = randomBytes(32)
    const vault = await Vault.open(dir.path, key, { create: true })
    const notes = vault.store<{ text: string }>('notes')
    for (let i = 0; i < 200; i++) await notes.put(`n${String(i).padStart(4, '0')}`, { text: `${CANARY} #${i}` })
    await vault.batch([{ type: 'put', store: vault.store('other'), key: 'x', value: { text: CANARY } }])
    expect(await notes.get('n0007')).toEqual({ text: `${CANARY} #7` })
    expect(await notes.count()).toBe(200)
    const seen: string[] = []
    for await (const [k] of notes.entries({ gte: 'n0010', lt: 'n0013' })) seen.push(k)
    expect(seen).toEqual(['n0010', 'n0011', 'n0012'])
    await vault.close()
    const raw = await rawBytes(dir.path)
    expect(raw.length).toBeGreaterThan(200 * CANARY.length)
    expect(raw.includes(Buffer.from('CANARY-7f3a9'))).toBe(false)
    expect(raw.includes(Buffer.from('bank-pin'))).toBe(false)
  })

  it('iterates across read-ahead batches in order, honours limit/reverse, and closes on early exit', async () => {
    await using dir = await tempDir()
    const vault = await Vault.open(dir.path, randomBytes(32), { create: true })
    const store = vault.store<number>('numbers')
    const keys = Array.from({ length: 700 }, (_, i) => `k${String(i).padStart(4, '0')}`)
    await vault.batch(keys.map((key, i) => ({ type: 'put' as const, store, key, value: i })))
    const all: number[] = []
    for await (const [, v] of store.entries()) all.push(v)
    expect(all).toEqual(keys.map((_, i) => i))
    const tail: string[] = []
    for await (const [k] of store.entries({ reverse: true, limit: 300 })) tail.push(k)
    expect(tail).toEqual(keys.slice(-300).reverse())
    let seen = 0
    for await (const _ of store.entries()) if (++seen === 260) break
    expect(seen).toBe(260)
    await vault.close()
  })

  it('rejects a wrong data key at open with E_CORRUPT', async () => {
    await using dir = await tempDir()
    await (await Vault.open(dir.path, randomBytes(32), { create: true })).close()
    await expect(Vault.open(dir.path, randomBytes(32))).rejects.toMatchObject({ code: 'E_CORRUPT' })
  })

  it('never returns garbage: a tampered or moved ciphertext is quarantined and reported', async () => {
    await using dir = await tempDir()
    const repairs: RepairEvent[] = []
    const vault = await Vault.open(dir.path, randomBytes(32), { create: true, onRepair: (e) => { repairs.push(e) } })
    const store = vault.store<string>('s')
    await store.put('a', 'alpha')
    await store.put('b', 'beta')
    const envelope = Buffer.from(await store.sublevel.get('a') as Uint8Array)
    await store.sublevel.put('b', envelope) // ciphertext of a moved to key b: AAD mismatch
    expect(await store.get('b')).toBeUndefined()
    envelope[envelope.length - 1] = (envelope[envelope.length - 1] ?? 0) ^ 0xff
    await store.sublevel.put('a', envelope)
    expect(await store.get('a')).toBeUndefined()
    await store.sublevel.put('c', Buffer.from('short'))
    expect(await collect(store.entries())).toEqual([])
    expect(repairs.map(r => `${r.action} ${r.store}/${r.key}`)).toEqual(['quarantined s/b', 'quarantined s/a', 'quarantined s/c'])
    expect(await vault.quarantined()).toEqual(['s/a', 's/b', 's/c'])
    // Without a healer (a bare store) the integrity failure is still E_CORRUPT, never garbage.
    const bare = new VaultStore<string>('s', store.sublevel, new ValueCipher(randomBytes(32)), jsonCodec<string>())
    await store.sublevel.put('d', Buffer.from('short'))
    await expect(bare.get('d')).rejects.toMatchObject({ code: 'E_CORRUPT' })
    await vault.close()
  })

  it('is locked while open (E_HOME_LOCKED) and reports a missing vault (E_NO_HOME)', async () => {
    await using dir = await tempDir()
    const key = randomBytes(32)
    const vault = await Vault.open(dir.path, key, { create: true })
    await expect(Vault.open(dir.path, key)).rejects.toMatchObject({ code: 'E_HOME_LOCKED' })
    await vault.close()
    await expect(Vault.open(join(dir.path, 'missing'), key)).rejects.toMatchObject({ code: 'E_NO_HOME' })
  })

  it('reports a corrupted database as E_CORRUPT', async () => {
    await using dir = await tempDir()
    const key = randomBytes(32)
    await (await Vault.open(dir.path, key, { create: true })).close()
    const current = (await readFile(join(dir.path, 'CURRENT'), 'utf8')).trim()
    await writeFile(join(dir.path, current), randomBytes(64))
    await expect(Vault.open(dir.path, key)).rejects.toMatchObject({ code: 'E_CORRUPT' })
  })

  it('applies an ordered batch atomically across stores', async () => {
    await using dir = await tempDir()
    const vault = await Vault.open(dir.path, randomBytes(32), { create: true })
    const a = vault.store<number>('a')
    const b = vault.store<number>('b')
    await a.put('gone', 1)
    await vault.batch([
      { type: 'put', store: a, key: 'x', value: 1 },
      { type: 'put', store: b, key: 'y', value: 2 },
      { type: 'del', store: a, key: 'gone' }
    ])
    expect([await a.get('x'), await b.get('y'), await a.get('gone')]).toEqual([1, 2, undefined])
    // sibling stores do not see each other's records
    expect(await a.count()).toBe(1)
    await vault.close()
    expect(() => vault.store('a')).toThrow(expect.objectContaining({ code: 'E_CLOSED' }) as Error)
  })

  it('runs each pending migration once, in order, and refuses a newer schema', async () => {
    await using dir = await tempDir()
    const key = randomBytes(32)
    await (await Vault.open(dir.path, key, { create: true })).close()
    const runs: number[] = []
    const migrations = [SCHEMA_VERSION + 2, SCHEMA_VERSION + 1].map(to => ({ to, run: async (v: Vault) => { runs.push(to); await v.store<number>('m').put('last', to) } }))
    const upgraded = await Vault.open(dir.path, key, { schemaVersion: SCHEMA_VERSION + 2, migrations })
    expect(runs).toEqual([SCHEMA_VERSION + 1, SCHEMA_VERSION + 2])
    expect(await upgraded.schemaVersion()).toBe(SCHEMA_VERSION + 2)
    expect(await upgraded.store<number>('m').get('last')).toBe(SCHEMA_VERSION + 2)
    await upgraded.close()
    await (await Vault.open(dir.path, key, { schemaVersion: SCHEMA_VERSION + 2, migrations })).close()
    expect(runs).toHaveLength(2)
    // this build (SCHEMA_VERSION) must not open data written by a newer one
    await expect(Vault.open(dir.path, key)).rejects.toMatchObject({ code: 'E_SCHEMA_VERSION' })
  })

  it('rejects invalid store names', async () => {
    await using dir = await tempDir()
    const vault = await Vault.open(dir.path, randomBytes(32), { create: true })
    expect(() => vault.store('Bad!name')).toThrow(expect.objectContaining({ code: 'E_BAD_INPUT' }) as Error)
    expect(() => vault.store('meta')).toThrow(expect.objectContaining({ code: 'E_BAD_INPUT' }) as Error)
    await vault.close()
  })
})
