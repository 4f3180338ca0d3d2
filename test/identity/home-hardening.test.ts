import { chmod, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertPassphraseStrength } from '../../src/identity/passphrase-strength.js'
import { SecondMe } from '../../src/node.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777

describe('home hardening', () => {
  it('tightens a loose home to 0700 folders and 0600 files when it opens', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    await (await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })).close()
    const vault = join(home, 'vault')
    await chmod(home, 0o755)
    await chmod(vault, 0o755)
    for (const f of await readdir(vault)) await chmod(join(vault, f), 0o644)
    await chmod(join(home, 'config.json'), 0o644)
    await chmod(join(home, 'audit-anchor.json'), 0o644)
    await (await SecondMe.open({ home, passphrase: 'pw', memory: { embedder: null } })).close()
    expect(await mode(home)).toBe(0o700)
    expect(await mode(vault)).toBe(0o700)
    for (const f of await readdir(vault)) expect([f, await mode(join(vault, f))]).toEqual([f, 0o600])
    expect(await mode(join(home, 'config.json'))).toBe(0o600)
    expect(await mode(join(home, 'audit-anchor.json'))).toBe(0o600)
    expect(await mode(join(home, 'keys', 'keyring.json'))).toBe(0o600)
  })

  it('refuses weak passphrases with E_BAD_INPUT and accepts a few words', () => {
    for (const weak of ['', 'x', 'pw', 'short1', 'aaaaaaaaaaaa', 'abababab', 'Password', '12345678']) {
      expect(() => { assertPassphraseStrength(weak) }, weak).toThrow(expect.objectContaining({ code: 'E_BAD_INPUT' }) as Error)
    }
    for (const ok of ['correct horse battery staple', 'open sesame', 'compose-test']) assertPassphraseStrength(ok)
  })
})
