import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Vault } from '../../src/vault/index.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'

/** Spawn the writer, wait for `acks` acknowledged writes, SIGKILL it; returns the highest acked index. */
async function writeThenKill (dir: string, key: Buffer, acks: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/fixtures/vault-writer.ts'), dir, key.toString('hex')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  let last = -1
  let buffered = ''
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', () => { resolve() })
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) last = Number(line.slice(4))
      if (last >= acks) child.kill('SIGKILL')
    })
  })
  expect(child.signalCode).toBe('SIGKILL')
  return last
}

describe('crash safety', () => {
  it('keeps every acknowledged write after kill -9', async () => {
    await using dir = await tempDir()
    const key = randomBytes(32)
    const last = await writeThenKill(dir.path, key, 300 + Math.floor(Math.random() * 300))
    const vault = await Vault.open(dir.path, key)
    const store = vault.store<{ i: number }>('crash')
    const missing: number[] = []
    for (let i = 0; i <= last; i++) {
      const value = await store.get(`k${String(i).padStart(8, '0')}`)
      if (value?.i !== i) missing.push(i)
    }
    await vault.close()
    expect(last).toBeGreaterThanOrEqual(300)
    expect(missing).toEqual([])
  })
})
