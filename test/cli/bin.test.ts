import { execFile } from 'node:child_process'
import { copyFile, mkdir, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'

const run = promisify(execFile)

/** A copy of bin/ beside a src/ and a dist/ entry that each say which one ran. */
async function layout (root: string): Promise<{ run: (env?: Record<string, string>) => Promise<string>, age: (rel: string, seconds: number) => Promise<void> }> {
  await mkdir(join(root, 'bin'))
  await mkdir(join(root, 'src', 'cli'), { recursive: true })
  await mkdir(join(root, 'dist', 'cli'), { recursive: true })
  await copyFile(join(REPO_ROOT, 'bin', 'secondme.js'), join(root, 'bin', 'secondme.js'))
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'))
  await writeFile(join(root, 'package.json'), '{"type":"module"}')
  await writeFile(join(root, 'src', 'cli', 'main.ts'), "const from: string = 'source'\nconsole.log(from)\n")
  await writeFile(join(root, 'dist', 'cli', 'main.js'), "console.log('build')\n")
  return {
    run: async (env = {}) => (await run(process.execPath, [join(root, 'bin', 'secondme.js')], { env: { ...process.env, ...env } })).stdout.trim(),
    age: async (rel, seconds) => { const t = Date.now() / 1000 - seconds; await utimes(join(root, rel), t, t) }
  }
}

describe('bin/secondme.js', () => {
  it('runs the build when it is current, the sources when any source is newer or when asked to', async () => {
    await using dir = await tempDir()
    const bin = await layout(dir.path)
    await bin.age('src/cli/main.ts', 60)
    expect(await bin.run()).toBe('build')
    expect(await bin.run({ SECONDME_FROM_SOURCE: '1' })).toBe('source')
    await bin.age('dist/cli/main.js', 120)
    expect(await bin.run()).toBe('source')
  })
})
