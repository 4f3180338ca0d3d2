import { access, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { homePaths } from '../../src/home.js'
import { Identity } from '../../src/identity/index.js'
import { readKeyring, writeKeyring } from '../../src/identity/keyfile.js'
import { SecondMe } from '../../src/node.js'
import { pendingKeyringPath, rotationDetail } from '../../src/rotation.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// A key rotation writes the new keyring beside the old one, then its audit entry (the commit point),
// then moves the keyring into place. These tests leave a home as a kill -9 would between the steps
// (the files a real rotation writes, up to that step) and check what the next open makes of it.

const pw = 'pw'
const open = async (home: string): Promise<SecondMe> => await SecondMe.open({ home, passphrase: pw, memory: { embedder: null } })

async function keysEntries (me: SecondMe): Promise<string[]> {
  return (await me.policy.audit.list(100)).filter(e => e.kind === 'keys').map(e => e.detail ?? '')
}

/** Step 1 of a rotation: the next keyring staged beside the current one. */
async function staged (home: string, old?: Identity, next?: Identity): Promise<{ old: Identity, next: Identity }> {
  const paths = homePaths(home)
  const sealed = await readKeyring(paths.keyring)
  old ??= await Identity.unseal(sealed, pw)
  next ??= await old.rotated()
  await writeKeyring(pendingKeyringPath(paths), await next.seal(pw, sealed.kdf))
  return { old, next }
}

describe('key rotation commit', () => {
  it('killed after the new keyring was staged: the next open undoes it, no audit entry claims it', async () => {
    await using tmp = await tempDir()
    const home = `${tmp.path}/home`
    await (await SecondMe.init({ home, passphrase: pw, kdf: TEST_KDF, memory: { embedder: null } })).close()
    const before = await readFile(homePaths(home).keyring, 'utf8')
    const { old } = await staged(home)
    const me = await open(home)
    try {
      expect(me.peerId).toBe(old.id)
      expect(me.identity.successions).toEqual([])
      expect(await keysEntries(me)).toEqual([])
      expect((await me.policy.audit.verify()).ok).toBe(true)
    } finally {
      await me.close()
    }
    expect(await readFile(homePaths(home).keyring, 'utf8')).toBe(before)
    await expect(access(pendingKeyringPath(homePaths(home)))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('killed after the audit entry: the next open finishes the rotation the log records', async () => {
    await using tmp = await tempDir()
    const home = `${tmp.path}/home`
    await (await SecondMe.init({ home, passphrase: pw, kdf: TEST_KDF, memory: { embedder: null } })).close()
    const during = await open(home)
    const old = during.identity
    const next = await old.rotated()
    // Step 2 as the rotation does it: the entry, fsynced and anchored under the current key.
    await during.policy.appendAudit({ kind: 'keys', decision: 'info', detail: rotationDetail(old.id, next.id) })
    await during.close()
    await staged(home, old, next)

    const me = await open(home)
    try {
      expect(me.peerId).toBe(next.id)
      expect(me.identity.predecessors).toEqual([old.id])
      expect(await keysEntries(me)).toEqual([rotationDetail(old.id, next.id)])
      expect((await me.policy.audit.verify()).ok).toBe(true)
    } finally {
      await me.close()
    }
    await expect(access(pendingKeyringPath(homePaths(home)))).rejects.toMatchObject({ code: 'ENOENT' })
    // A full rotation afterwards chains on: two entries, two successions, each entry names one.
    const r = await SecondMe.rotateKeys(home, pw)
    const again = await open(home)
    try {
      expect(again.identity.successions.map(s => rotationDetail(s.prev, s.next))).toEqual(await keysEntries(again))
      expect(r.rotations).toBe(2)
    } finally {
      await again.close()
    }
  })
})
