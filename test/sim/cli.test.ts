import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

describe('secondme simulate / demo: bad input', () => {
  it('a bad scenario file or argument is a clear error with a stable code, before any node starts', async () => {
    await using dir = await tempDir()
    const bad = join(dir.path, 'scenario.json')
    await writeFile(bad, JSON.stringify({ version: 2, name: 'x', steps: [] }))
    const r = await runCli(['--json', 'simulate', '--nodes', '4', '--scenario', bad])
    expect(r.code).toBe(65)
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'E_MALFORMED_FILE' } })
    expect(r.stderr).toContain('version')

    const transport = await runCli(['simulate', '--transport', 'carrier-pigeon'])
    expect(transport.code).toBe(65)
    expect(transport.stderr).toContain('E_BAD_INPUT')

    const demo = await runCli(['demo', '--nodes', '9'])
    expect(demo.code).toBe(65)
    expect(demo.stderr).toContain('--nodes')
  })
})
