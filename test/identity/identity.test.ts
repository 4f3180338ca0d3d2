import { describe, expect, it } from 'vitest'
import { Identity, canonicalBytes, verifyJson } from '../../src/identity/index.js'
import { seal, unseal } from '../../src/identity/seal.js'
import { readKeyring, writeKeyring } from '../../src/identity/keyfile.js'
import { stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

describe('identity', () => {
  it('keeps the same peer id and data key through seal/unseal', async () => {
    const id = await Identity.generate()
    const sealed = await id.seal('correct horse', TEST_KDF)
    const back = await Identity.unseal(sealed, 'correct horse')
    expect(back.id).toBe(id.id)
    expect(back.dataKey.equals(id.dataKey)).toBe(true)
    expect(id.id).toMatch(/^12D3KooW/)
  })

  it('refuses a wrong passphrase with E_BAD_PASSPHRASE', async () => {
    const sealed = await (await Identity.generate()).seal('right', TEST_KDF)
    await expect(Identity.unseal(sealed, 'wrong')).rejects.toMatchObject({ code: 'E_BAD_PASSPHRASE' })
  })

  it('detects a tampered sealed payload', async () => {
    const sealed = await seal(Buffer.from('secret'), 'pw', TEST_KDF)
    const data = Buffer.from(sealed.data, 'base64')
    data[0] = (data[0] ?? 0) ^ 1
    await expect(unseal({ ...sealed, data: data.toString('base64') }, 'pw')).rejects.toMatchObject({ code: 'E_BAD_PASSPHRASE' })
  })

  it('signs canonical JSON that verifies regardless of key order, and not after a change', async () => {
    const id = await Identity.generate()
    const sig = await id.sign({ b: 2, a: 1 })
    expect(await verifyJson(id.id, { a: 1, b: 2 }, sig)).toBe(true)
    expect(await verifyJson(id.id, { a: 1, b: 3 }, sig)).toBe(false)
    const other = await Identity.generate()
    expect(await verifyJson(other.id, { a: 1, b: 2 }, sig)).toBe(false)
    expect(await verifyJson('not-a-peer-id', { a: 1 }, sig)).toBe(false)
    expect(new TextDecoder().decode(canonicalBytes({ b: 1, a: [2, { d: 1, c: 0 }] }))).toBe('{"a":[2,{"c":0,"d":1}],"b":1}')
  })

  it('writes the key file with mode 0600 and reads it back', async () => {
    await using dir = await tempDir()
    const file = join(dir.path, 'keys', 'keyring.json')
    const sealed = await (await Identity.generate()).seal('pw', TEST_KDF)
    await writeKeyring(file, sealed)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readKeyring(file)).toEqual(sealed)
  })

  it('reports a missing or malformed key file with stable codes', async () => {
    await using dir = await tempDir()
    await expect(readKeyring(join(dir.path, 'nope.json'))).rejects.toMatchObject({ code: 'E_NO_HOME' })
    const bad = join(dir.path, 'bad.json')
    await writeFile(bad, '{"v":1,')
    await expect(readKeyring(bad)).rejects.toMatchObject({ code: 'E_CORRUPT' })
    await writeFile(bad, '{"v":2}')
    await expect(readKeyring(bad)).rejects.toMatchObject({ code: 'E_CORRUPT' })
  })
})
