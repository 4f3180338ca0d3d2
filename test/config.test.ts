import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SecondMe } from '../src/node.js'
import { runCli } from './helpers/cli.js'
import { tempDir, TEST_KDF } from './helpers/tmp.js'

// Each area's config section is parsed once, when a home opens: a bad one stops every command with
// E_BAD_CONFIG naming the field, and changes nothing.

async function setConfig (home: string, change: Record<string, unknown>): Promise<void> {
  const path = join(home, 'config.json')
  const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
  await writeFile(path, JSON.stringify({ ...config, ...change }))
}

describe('config sections', () => {
  it('are typed at open: defaults filled, a bad field is E_BAD_CONFIG naming it, at every command', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'home')
    const me = await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
    expect(me.settings.net.rate).toEqual({ capacity: 30, refillPerSecond: 15 })
    expect(me.settings.memory.embedder).toBe('use')
    expect(me.settings.model.maxTokens).toBeGreaterThan(0)
    await me.close()

    for (const [change, field] of [
      [{ net: { rate: { capacity: 0 } } }, 'net.rate.capacity'],
      [{ memory: { embedder: 'bert' } }, 'memory.embedder'],
      [{ model: { maxTokens: 'many' } }, 'model.maxTokens']
    ] as const) {
      await setConfig(home, Object.assign({ net: {}, memory: {}, model: {} }, change))
      await expect(SecondMe.open({ home, passphrase: 'pw', memory: { embedder: null } })).rejects.toMatchObject({ code: 'E_BAD_CONFIG', message: expect.stringContaining(field) as string })
    }
    // A command that never reads `net` still refuses a bad `net` (it used to surface only at `start`).
    await setConfig(home, { net: { rate: { capacity: 0 } }, memory: {}, model: {} })
    const recall = await runCli(['--home', home, 'recall', 'anything'], { SECONDME_PASSPHRASE: 'pw' })
    expect(recall.code).toBe(65)
    expect(recall.stderr).toMatch(/E_BAD_CONFIG: .*net\.rate\.capacity/)
  })
})
