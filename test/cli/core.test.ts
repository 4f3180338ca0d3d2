import { readFile, writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const PW = { SECONDME_PASSPHRASE: 'open sesame' }

describe('secondme CLI: init, status, passwd, bad input', () => {
  it('initialises a home, keeps the same peer id, and reports status as text and JSON', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'home')
    const init = await runCli(['--home', home, '--json', 'init', '--name', 'Ada'], PW)
    expect(init.code).toBe(0)
    const { peerId } = JSON.parse(init.stdout) as { peerId: string }
    expect(peerId).toMatch(/^12D3KooW/)

    const status = await runCli(['--json', 'status'], { ...PW, SECONDME_HOME: home })
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ peerId, home, displayName: 'Ada', schemaVersion: 1 })

    const text = await runCli(['--home', home, 'status'], PW)
    expect(text.stdout).toContain(`peer id   ${peerId}`)
  })

  it('refuses a second init unless --force, changing nothing', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    await runCli(['--home', home, 'init'], PW)
    const before = await readFile(join(home, 'keys/keyring.json'), 'utf8')
    const again = await runCli(['--home', home, 'init'], PW)
    expect(again.code).not.toBe(0)
    expect(again.stderr).toMatch(/^secondme: E_HOME_EXISTS: /)
    expect(await readFile(join(home, 'keys/keyring.json'), 'utf8')).toBe(before)
    const forced = await runCli(['--home', home, '--json', 'init', '--force'], PW)
    expect(forced.code).toBe(0)
    expect(await readFile(join(home, 'keys/keyring.json'), 'utf8')).not.toBe(before)
  })

  it('changes the passphrase: the old one stops working, the peer id stays', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    const { peerId } = JSON.parse((await runCli(['--home', home, '--json', 'init'], PW)).stdout) as { peerId: string }
    const changed = await runCli(['--home', home, 'passwd'], { ...PW, SECONDME_NEW_PASSPHRASE: 'a new passphrase' })
    expect(changed.code).toBe(0)
    const old = await runCli(['--home', home, 'status'], PW)
    expect(old.stderr).toMatch(/E_BAD_PASSPHRASE/)
    const fresh = await runCli(['--home', home, '--json', 'status'], { SECONDME_PASSPHRASE: 'a new passphrase' })
    expect(JSON.parse(fresh.stdout)).toMatchObject({ peerId })
  })

  it('gives one-line errors with stable codes and non-zero exits', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    await runCli(['--home', home, 'init'], PW)
    const keyring = join(home, 'keys/keyring.json')
    const pristine = await readFile(keyring, 'utf8')
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--home', home, 'status'], { SECONDME_PASSPHRASE: 'wrong' }, /E_BAD_PASSPHRASE/],
      [['--home', join(dir.path, 'nowhere'), 'status'], PW, /E_NO_HOME/],
      [['--home', home, 'status'], {}, /E_NO_PASSPHRASE/],
      [['--home', home, 'frobnicate'], PW, /E_USAGE: unknown command/],
      [['--home', home, 'status', '--nope'], PW, /E_USAGE: unknown option/],
      [['--home', home, 'passwd'], { SECONDME_PASSPHRASE: 'wrong', SECONDME_NEW_PASSPHRASE: 'x' }, /E_BAD_PASSPHRASE/]
    ]
    for (const [args, env, pattern] of cases) {
      const r = await runCli(args, env)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(pattern)
    }
    expect(await readFile(keyring, 'utf8')).toBe(pristine)
    const asJson = await runCli(['--home', home, '--json', 'status'], { SECONDME_PASSPHRASE: 'wrong' })
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { code: 'E_BAD_PASSPHRASE' } })
  })

  it('reports tampered key files and corrupted or missing vaults', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    await runCli(['--home', home, 'init'], PW)
    const keyring = join(home, 'keys/keyring.json')
    const sealed = JSON.parse(await readFile(keyring, 'utf8')) as { data: string }
    const flipped = Buffer.from(sealed.data, 'base64')
    flipped[3] = (flipped[3] ?? 0) ^ 1
    await writeFile(keyring, JSON.stringify({ ...sealed, data: flipped.toString('base64') }))
    expect((await runCli(['--home', home, 'status'], PW)).stderr).toMatch(/E_BAD_PASSPHRASE/)
    await writeFile(keyring, 'not json')
    expect((await runCli(['--home', home, 'status'], PW)).stderr).toMatch(/E_CORRUPT/)

    const home2 = join(dir.path, 'h2')
    await runCli(['--home', home2, 'init'], PW)
    await rm(join(home2, 'vault'), { recursive: true })
    expect((await runCli(['--home', home2, 'status'], PW)).stderr).toMatch(/E_NO_HOME/)
  })
})
