import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readConfig, writeConfig } from '../../src/config.js'
import { SecondMe } from '../../src/node.js'
import { runCli } from '../helpers/cli.js'
import { httpUrlOf, spawnSecondMe, stopSecondMe } from '../helpers/spawn.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

describe('secondme dashboard', () => {
  it('prints a one-time link to the running node\'s dashboard; a clear error when none runs', async () => {
    await using tmp = await tempDir()
    const home = join(tmp.path, 'home')
    await (await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })).close()
    const config = await readConfig(join(home, 'config.json'))
    await writeConfig(join(home, 'config.json'), { ...config, memory: { embedder: 'none' }, http: { listen: '127.0.0.1:1' } })
    const none = await runCli(['--home', home, '--json', 'dashboard', '--no-open'])
    expect(none.code).not.toBe(0)
    expect(none.stderr).toContain('E_NODE_NOT_RUNNING')
    const child = spawnSecondMe(['--home', home, 'start', '--http', '127.0.0.1:0'], { SECONDME_PASSPHRASE: 'pw' })
    try {
      const url = await httpUrlOf(child)
      const printed = await runCli(['--home', home, '--json', 'dashboard', '--url', url, '--no-open'])
      expect(printed.code).toBe(0)
      const { link } = JSON.parse(printed.stdout) as { link: string }
      expect(link.startsWith(`${url}/dashboard/login?t=`)).toBe(true)
      const login = await fetch(link, { redirect: 'manual' })
      expect(login.status).toBe(303)
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const session = await fetch(`${url}/dashboard/session`, { headers: { cookie } })
      expect(session.status).toBe(200)
      const page = await fetch(`${url}/`)
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    } finally {
      await stopSecondMe(child)
    }
  })
})
