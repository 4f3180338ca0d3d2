import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecondMe } from '../../src/node.js'
import { Identity } from '../../src/identity/index.js'
import { startControlServer } from '../../src/control/index.js'
import { restoreHome } from '../../src/backup/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

// Backup while the node runs (through its control channel), restore onto a fresh home, and every
// kind of bad archive refused with a stable code while the target stays untouched.

const PASS = 'correct horse battery'
let dir: Awaited<ReturnType<typeof tempDir>>
let archive: string
let before: { peerId: string, memories: number, audit: number, recall: string[] }

beforeAll(async () => {
  dir = await tempDir()
  const home = join(dir.path, 'home')
  const me = await SecondMe.init({ home, passphrase: PASS, kdf: TEST_KDF, memory: { embedder: null } })
  for (let i = 0; i < 40; i++) await me.memory.addText(`On day ${i} I walked the dog to the lake and counted ${i * 3} ducks`)
  await me.memory.addText('My sister Anna plays the cello in an orchestra in Oslo')
  const peer = (await Identity.generate()).id
  for (let i = 0; i < 5; i++) await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer, items: [`item-${i}`] })
  const server = await startControlServer(me)
  archive = join(dir.path, 'home.smbak')
  try {
    // Audit appends go on while the backup runs: the archive must still verify on restore.
    let stop = false
    const writer = (async () => { while (!stop) await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer, items: ['busy'] }) })()
    const res = await runCli(['--home', home, '--json', 'backup', archive], { SECONDME_PASSPHRASE: PASS })
    stop = true
    await writer
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({ peerId: me.peerId, file: archive })
  } finally {
    await server.close()
  }
  before = {
    peerId: me.peerId,
    memories: await me.vault.store('memory-items').count(),
    audit: (await me.policy.audit.verify()).entries,
    recall: (await me.memory.recall('who plays the cello in Oslo', { k: 1 })).map(h => h.id)
  }
  await me.close()
})

afterAll(async () => {
  await dir[Symbol.asyncDispose]()
})

async function expectUntouched (home: string): Promise<void> {
  await expect(stat(home)).rejects.toMatchObject({ code: 'ENOENT' })
  expect((await readdir(dir.path)).filter(f => f.includes('.restore-'))).toEqual([])
}

describe('backup and restore', () => {
  it('writes a private archive that holds no plaintext', async () => {
    expect((await stat(archive)).mode & 0o777).toBe(0o600)
    const bytes = await readFile(archive)
    expect(bytes.includes(Buffer.from('ducks'))).toBe(false)
    expect(bytes.includes(Buffer.from('walked the dog'))).toBe(false)
  })

  it('restores onto a fresh home with the passphrase (CLI): same identity, memories, recall and an intact audit chain', async () => {
    const home = join(dir.path, 'restored')
    const res = await runCli(['--home', home, '--json', 'restore', archive], { SECONDME_PASSPHRASE: PASS })
    expect(res.code).toBe(0)
    const report = JSON.parse(res.stdout) as { peerId: string, auditEntries: number }
    expect(report.peerId).toBe(before.peerId)
    // The archive was taken mid-stream: it holds at least what existed when the backup started.
    expect(report.auditEntries).toBeGreaterThanOrEqual(5)
    expect(report.auditEntries).toBeLessThanOrEqual(before.audit)
    expect((await stat(home)).mode & 0o777).toBe(0o700)
    const me = await SecondMe.open({ home, passphrase: PASS, memory: { embedder: null } })
    try {
      expect(me.peerId).toBe(before.peerId)
      expect(await me.vault.store('memory-items').count()).toBe(before.memories)
      expect(before.recall).toHaveLength(1)
      expect((await me.memory.recall('who plays the cello in Oslo', { k: 1 })).map(h => h.id)).toEqual(before.recall)
      expect((await me.policy.audit.verify()).ok).toBe(true)
      await expect(me.start({ listen: [] }).then(async n => { await n.stop() })).resolves.toBeUndefined()
    } finally {
      await me.close()
    }
    // A second restore onto the now initialised home is refused and changes nothing.
    const again = await runCli(['--home', home, 'restore', archive], { SECONDME_PASSPHRASE: PASS })
    expect(again.code).toBe(66)
    expect(again.stderr).toMatch(/E_HOME_EXISTS/)
  })

  it('refuses a wrong passphrase (CLI, exit 66) and creates nothing', async () => {
    const home = join(dir.path, 'wrong-pass')
    const res = await runCli(['--home', home, 'restore', archive], { SECONDME_PASSPHRASE: 'not the passphrase' })
    expect(res.code).toBe(66)
    expect(res.stderr).toMatch(/E_BAD_PASSPHRASE/)
    await expectUntouched(home)
  })

  const damaged: Array<[string, (bytes: Buffer) => Buffer, string]> = [
    ['a flipped byte in the middle', b => { const c = Buffer.from(b); c[Math.floor(c.length / 2)]! ^= 0x20; return c }, 'E_CORRUPT'],
    ['a flipped byte in the last frame', b => { const c = Buffer.from(b); c[c.length - 3]! ^= 0x01; return c }, 'E_CORRUPT'],
    ['truncation mid-frame', b => b.subarray(0, Math.floor(b.length * 0.7)), 'E_CORRUPT'],
    ['its final frame cut off exactly', b => b.subarray(0, lastFrameStart(b)), 'E_CORRUPT'],
    ['bytes appended', b => Buffer.concat([b, Buffer.from('x')]), 'E_CORRUPT'],
    ['an edited header', b => Buffer.from(b.toString('latin1').replace(/"created":"\d/, '"created":"9'), 'latin1'), 'E_CORRUPT'],
    ['not an archive at all', () => Buffer.from('hello, this is not a backup\n'), 'E_UNSUPPORTED_FORMAT'],
    ['an empty file', () => Buffer.alloc(0), 'E_CORRUPT']
  ]
  for (const [what, damage, code] of damaged) {
    it(`refuses an archive with ${what} (${code}) and creates nothing`, async () => {
      const bad = join(dir.path, 'bad.smbak')
      await writeFile(bad, damage(await readFile(archive)))
      const home = join(dir.path, 'target')
      await expect(restoreHome({ file: bad, home, passphrase: PASS })).rejects.toMatchObject({ code })
      await expectUntouched(home)
    })
  }

  it('refuses a missing archive with E_FILE_NOT_FOUND', async () => {
    await expect(restoreHome({ file: join(dir.path, 'nope'), home: join(dir.path, 'x'), passphrase: PASS })).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
  })

  it('backs up a home with no node running (opened in the CLI process)', async () => {
    const home = join(dir.path, 'restored')
    const out = join(dir.path, 'second.smbak')
    const res = await runCli(['--home', home, 'backup', out], { SECONDME_PASSPHRASE: PASS })
    expect(res.code).toBe(0)
    await truncate(out, 100)
    await expect(restoreHome({ file: out, home: join(dir.path, 'y'), passphrase: PASS })).rejects.toMatchObject({ code: 'E_CORRUPT' })
  })
})

/** Offset of the final frame: walk the length prefixes after the header. */
function lastFrameStart (b: Buffer): number {
  let at = 16 + 4 + b.readUInt32BE(16)
  let last = at
  while (at < b.length) {
    last = at
    at += 4 + b.readUInt32BE(at)
  }
  return last
}
