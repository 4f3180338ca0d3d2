import { open, readdir, rm, stat, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SecondMe } from '../../src/node.js'
import { Identity } from '../../src/identity/index.js'
import { AuditAnchor } from '../../src/policy/audit-anchor.js'
import { GENESIS } from '../../src/policy/audit.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

// The tail of the audit log lives in LevelDB's write-ahead log until a compaction. LevelDB drops a
// damaged or missing tail silently on open, taking the in-vault head record with it; the signed
// anchor file must catch that.

let dir: Awaited<ReturnType<typeof tempDir>>
const peer = (await Identity.generate()).id
const open_ = async (): Promise<SecondMe> => await SecondMe.open({ home: dir.path, passphrase: 'pw', memory: { embedder: null } })

beforeEach(async () => {
  dir = await tempDir()
  const me = await SecondMe.init({ home: dir.path, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
  await me.close()
  // Reopening moves init's writes into a table file, so the WAL below holds only the audit entries.
  const again = await open_()
  for (let i = 0; i < 6; i++) await again.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer, items: [`item-${i}`] })
  await again.close()
})

afterEach(async () => {
  await dir[Symbol.asyncDispose]()
})

async function wal (): Promise<string> {
  const vault = join(dir.path, 'vault')
  const logs = (await readdir(vault)).filter(f => f.endsWith('.log'))
  const sized = await Promise.all(logs.map(async f => ({ f, size: (await stat(join(vault, f))).size })))
  const biggest = sized.sort((a, b) => b.size - a.size)[0]
  if (biggest === undefined || biggest.size === 0) throw new Error('no write-ahead log with data')
  return join(vault, biggest.f)
}

async function expectTampered (): Promise<void> {
  const me = await open_()
  try {
    const report = await me.policy.audit.verify()
    expect(report.ok).toBe(false)
    expect(report.reason).toMatch(/lost|anchor|truncated|missing/)
    await expect(me.start({ listen: [] })).rejects.toMatchObject({ code: 'E_AUDIT_TAMPERED' })
  } finally {
    await me.close()
  }
}

describe('audit tail durability', () => {
  it('verifies intact after a clean reopen', async () => {
    const me = await open_()
    expect(await me.policy.audit.verify()).toEqual({ ok: true, entries: 6 })
    await me.close()
  })

  it('detects a flipped byte in the write-ahead log', async () => {
    const path = await wal()
    const { size } = await stat(path)
    const handle = await open(path, 'r+')
    const at = size - 40
    const byte = Buffer.alloc(1)
    await handle.read(byte, 0, 1, at)
    byte[0] = (byte[0] ?? 0) ^ 0xff
    await handle.write(byte, 0, 1, at)
    await handle.close()
    await expectTampered()
  })

  it('detects a truncated write-ahead log', async () => {
    const path = await wal()
    await truncate(path, (await stat(path)).size - 100)
    await expectTampered()
  })

  it('detects a deleted write-ahead log', async () => {
    await rm(await wal())
    await expectTampered()
  })

  it('detects a deleted anchor', async () => {
    await rm(join(dir.path, 'audit-anchor.json'))
    await expectTampered()
  })

  it('refuses an anchor signed by another key', async () => {
    const other = await Identity.generate()
    await new AuditAnchor(join(dir.path, 'audit-anchor.json'), other).create(1, GENESIS)
    await expectTampered()
  })
})
