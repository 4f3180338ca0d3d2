import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readConfig, writeConfig } from '../../src/config.js'
import { SecondMe } from '../../src/node.js'
import { REPO_ROOT, TEST_KDF, tempDir } from '../helpers/tmp.js'

// A `secondme start` whose parent is killed with SIGKILL (a test runner killed mid-run: no teardown
// runs) must not live on as an orphan: SECONDME_EXIT_WITH_PARENT=1, which the test helpers set,
// makes it shut down once it is re-parented.

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true } catch { return false } }

describe('no orphaned nodes', () => {
  it('a started node exits soon after its parent is killed with SIGKILL', async () => {
    await using tmp = await tempDir()
    const home = join(tmp.path, 'home')
    await (await SecondMe.init({ home, passphrase: 'orphan test pass', kdf: TEST_KDF, memory: { embedder: null } })).close()
    const config = await readConfig(join(home, 'config.json'))
    await writeConfig(join(home, 'config.json'), { ...config, memory: { embedder: 'none' } })
    // The middle process stands in for a vitest worker: it starts the node and prints its pid.
    const script = `const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, [${JSON.stringify(join(REPO_ROOT, 'bin/secondme.js'))}, '--home', ${JSON.stringify(home)}, 'start', '--http', 'off'],
        { env: { ...process.env, SECONDME_PASSPHRASE: 'orphan test pass', SECONDME_EXIT_WITH_PARENT: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
      c.stdout.once('data', () => { console.log(c.pid) })`
    const middle = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const pid = await new Promise<number>((resolve, reject) => {
      middle.stdout.once('data', (c: Buffer) => { resolve(Number(c.toString().trim())) })
      middle.once('exit', code => { reject(new Error(`middle process exited ${code}`)) })
    })
    try {
      expect(alive(pid)).toBe(true)
      middle.kill('SIGKILL')
      const t0 = Date.now()
      while (alive(pid) && Date.now() - t0 < 20_000) await new Promise(resolve => setTimeout(resolve, 200))
      expect(alive(pid)).toBe(false)
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL')
    }
  }, 60_000)
})
