import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RecallHit } from '../../src/memory/index.js'
import { runCli } from '../helpers/cli.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'

const PW = { SECONDME_PASSPHRASE: 'open sesame' }

describe('secondme CLI: ingest, recall, memories, forget, topics, visibility, bio', () => {
  it('runs the memory commands end to end on the examples (lexical-only config)', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'home')
    expect((await runCli(['--home', home, 'init'], PW)).code).toBe(0)
    // Keep the test light: no embedding model in this process tree.
    const configPath = join(home, 'config.json')
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
    await writeFile(configPath, JSON.stringify({ ...config, memory: { embedder: 'none', owner: 'Alex' } }))
    const cli = async (...args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> => await runCli(['--home', home, ...args], PW)

    const ingest = await cli('--json', 'ingest', join(REPO_ROOT, 'examples', 'memory'))
    expect(ingest.code).toBe(0)
    const counts = JSON.parse(ingest.stdout) as { files: number, added: number }
    expect(counts.files).toBe(2)
    expect(counts.added).toBeGreaterThan(5)
    const recall = await cli('--json', 'recall', 'sailing trip Azores', '-k', '2')
    const hits = JSON.parse(recall.stdout) as RecallHit[]
    expect(hits).toHaveLength(2)
    expect(hits[0]?.text).toContain('Azores')
    expect(hits[0]?.source).toContain('conversation.json')
    expect((await cli('forget', hits[0]?.id ?? '')).code).toBe(0)
    const after = await cli('recall', 'sailing trip Azores')
    expect(after.stdout).not.toContain(hits[0]?.id)
    expect(after.stdout).toMatch(/conversation\.json|notes\.md/)

    const topics = JSON.parse((await cli('--json', 'topics')).stdout) as Array<{ topic: string, count: number }>
    expect(topics.length).toBeGreaterThan(0)
    const topic = topics[0]?.topic ?? ''
    // A topic covering more than 10% of memory is a bulk change: previewed, applied only with --yes.
    const preview = (await cli('visibility', '--topic', topic, 'public')).stdout
    expect(preview).toContain(`would change ${topics[0]?.count} of`)
    expect(preview).toContain('--yes')
    expect((await cli('visibility', '--topic', topic, 'public', '--yes')).stdout).toContain(`${topics[0]?.count} memor`)
    expect((await cli('topics', 'add', 'sailing', '--about', 'boats, the sea')).stdout).toMatch(/topic "sailing" covers [1-9]\d* memor/)
    expect((await cli('topics', 'show', 'sailing')).stdout).toContain('sailing')

    const bad = join(dir.path, 'bad.json')
    await writeFile(bad, '{"messages": 3}')
    const failed = await cli('ingest', bad)
    expect(failed.code).toBe(65)
    expect(failed.stderr).toMatch(/E_MALFORMED_FILE: .*bad\.json/)
  }, 240_000)
})
