import { cp, open, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { doctor } from '../../src/doctor.js'
import { isSecondMeError } from '../../src/errors.js'
import { Identity } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import type { RepairEvent } from '../../src/vault/index.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

let dir: Awaited<ReturnType<typeof tempDir>>
let home: string
const memory = { embedder: null } as const
const openHome = async (path = home, repairs: RepairEvent[] = []): Promise<SecondMe> => await SecondMe.open({ home: path, passphrase: 'pw', memory, onRepair: (e) => { repairs.push(e) } })

beforeEach(async () => {
  dir = await tempDir()
  home = join(dir.path, 'h')
  const me = await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory })
  for (let i = 0; i < 40; i++) await me.memory.addText(`Note ${i}: I sailed to island number ${i} with Ana`, { visibility: 'shareable' })
  await me.close()
})

afterEach(async () => {
  await dir[Symbol.asyncDispose]()
})

/** Flip one byte of a stored value's ciphertext, as a bad sector under that record would. */
async function damage (store: string, index: number): Promise<string> {
  const me = await openHome()
  const sub = me.vault.store<unknown>(store).sublevel
  const [key, value] = (await sub.iterator({ limit: index + 1 }).all())[index]!
  const bad = Uint8Array.from(value)
  bad[bad.length - 3] = (bad[bad.length - 3] ?? 0) ^ 0x40
  await sub.put(key, bad)
  await me.close()
  return key
}

describe('self-healing home', () => {
  it('drops a corrupt cache record with a warning and rebuilds it; recall still works', async () => {
    const key = await damage('memory-terms', 3)
    const repairs: RepairEvent[] = []
    const me = await openHome(home, repairs)
    try {
      expect(repairs).toEqual([{ store: 'memory-terms', key, action: 'dropped' }])
      expect(me.memory.size).toBe(40)
      const hits = await me.memory.recall('island number 3', { k: 3, scope: { visibility: ['shareable'] } })
      expect(hits.length).toBeGreaterThan(0)
      expect(await me.vault.quarantined()).toEqual([])
    } finally {
      await me.close()
    }
  })

  it('quarantines a corrupt primary record, names it, and keeps the rest usable', async () => {
    const key = await damage('memory-items', 5)
    const repairs: RepairEvent[] = []
    const me = await openHome(home, repairs)
    try {
      expect(repairs).toEqual([{ store: 'memory-items', key, action: 'quarantined' }])
      expect(me.memory.size).toBe(39)
      expect(await me.vault.quarantined()).toEqual([`memory-items/${key}`])
    } finally {
      await me.close()
    }
    const report = await doctor({ home, passphrase: 'pw', memory })
    expect(report).toMatchObject({ ok: true, clean: true, quarantined: [`memory-items/${key}`] })
  })

  it('turns byte flips in table files into a healed home or E_CORRUPT, never an internal error; doctor --repair recovers', async () => {
    // Reopen once so the writes move from the write-ahead log into a table file.
    await (await openHome()).close()
    const vault = join(home, 'vault')
    const table = (await readdir(vault)).find(f => f.endsWith('.ldb'))
    expect(table).toBeDefined()
    const size = (await stat(join(vault, table!))).size
    for (const at of [0.1, 0.5, 0.9, 0.999].map(f => Math.floor(size * f))) {
      const copy = join(dir.path, `copy-${at}`)
      await cp(home, copy, { recursive: true })
      const handle = await open(join(copy, 'vault', table!), 'r+')
      const byte = Buffer.alloc(1)
      await handle.read(byte, 0, 1, at)
      byte[0] = (byte[0] ?? 0) ^ 0xff
      await handle.write(byte, 0, 1, at)
      await handle.close()
      try {
        const me = await openHome(copy)
        await me.status()
        await me.close()
      } catch (err) {
        expect(isSecondMeError(err) ? err.code : String(err)).toBe('E_CORRUPT')
      }
      const report = await doctor({ home: copy, passphrase: 'pw', memory, repair: true })
      expect(report.ok).toBe(true)
      await rm(copy, { recursive: true })
    }
  })

  it('doctor reports a lost audit tail; --repair records the loss and re-anchors', async () => {
    const peer = (await Identity.generate()).id
    const me = await openHome()
    for (let i = 0; i < 4; i++) await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer, items: [`m-${i}`] })
    await me.close()
    const vault = join(home, 'vault')
    for (const f of (await readdir(vault)).filter(f => f.endsWith('.log'))) await rm(join(vault, f))
    const before = await doctor({ home, passphrase: 'pw', memory })
    expect(before.ok).toBe(false)
    expect(before.audit.reason).toMatch(/lost/)
    const after = await doctor({ home, passphrase: 'pw', memory, repair: true })
    expect(after).toMatchObject({ ok: true, auditRepaired: expect.stringContaining('lost') as string })
    const again = await openHome()
    try {
      expect((await again.policy.audit.verify()).ok).toBe(true)
      expect((await again.policy.audit.list(1))[0]).toMatchObject({ kind: 'repair' })
    } finally {
      await again.close()
    }
  })
})
