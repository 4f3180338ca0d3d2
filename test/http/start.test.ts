import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readConfig, writeConfig } from '../../src/config.js'
import { tokenPath } from '../../src/http/index.js'
import { SecondMe } from '../../src/node.js'
import { runCli } from '../helpers/cli.js'
import { httpUrlOf, spawnSecondMe, stopSecondMe } from '../helpers/spawn.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

const ENV = { SECONDME_PASSPHRASE: 'pw' }

describe('secondme start serves HTTP; secondme token', () => {
  it('prints "http on …", answers /api with the printed token, refuses without it', async () => {
    await using tmp = await tempDir()
    const home = join(tmp.path, 'home')
    await (await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })).close()
    const config = await readConfig(join(home, 'config.json'))
    await writeConfig(join(home, 'config.json'), { ...config, memory: { embedder: 'none' } })
    const child = spawnSecondMe(['--home', home, 'start', '--http', '127.0.0.1:0'], ENV)
    try {
      const url = await httpUrlOf(child)
      const printed = await runCli(['--home', home, 'token'])
      expect(printed.code).toBe(0)
      const token = printed.stdout.trim()
      expect(token).toMatch(/^smt_[\w-]{40,}$/)
      expect((await stat(tokenPath(home))).mode & 0o777).toBe(0o600)
      const ok = await fetch(`${url}/api/status`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({ home })
      expect((await fetch(`${url}/api/status`, { method: 'POST' })).status).toBe(401)
      const rotated = await runCli(['--home', home, 'token', '--rotate'])
      expect(rotated.stdout.trim()).not.toBe(token)
    } finally {
      await stopSecondMe(child)
    }
  })
})
