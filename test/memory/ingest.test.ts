import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Memory } from '../../src/memory/index.js'
import { SecondMe } from '../../src/node.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'
import { freshNode } from './helpers.js'
import { SOURCES } from './sources.js'

describe('ingest: folders, summary, strict, limits, stable ids, owner', () => {
  it('reports each file of a folder: ingested, already known, skipped with the reason; --strict writes nothing', async () => {
    await using node = await freshNode()
    const data = join(node.dir, 'export')
    await mkdir(join(data, '.obsidian'), { recursive: true })
    await copyFile(join(SOURCES, 'conversations.json'), join(data, 'conversations.json'))
    await writeFile(join(data, 'note.txt'), 'I keep my bike in the shed behind the house.')
    await writeFile(join(data, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]))
    await writeFile(join(data, 'broken.json'), '{"messages": [{"speaker": "x"}]}')
    await writeFile(join(data, 'huge.txt'), 'x'.repeat(30_000))
    await writeFile(join(data, '.obsidian', 'workspace.json'), '{}')
    const memory = await Memory.open(node.me.vault, { maxFileBytes: 20_000, owner: 'Robin' })

    await expect(memory.ingest([data], { strict: true })).rejects.toMatchObject({ code: 'E_FILE_TOO_LARGE' })
    expect(memory.size).toBe(0)

    const first = await memory.ingest([data])
    const byName = Object.fromEntries(first.reports.map(r => [r.path.slice(data.length + 1), r]))
    expect(Object.keys(byName).sort()).toEqual(['broken.json', 'conversations.json', 'huge.txt', 'note.txt', 'photo.png'])
    expect(byName['conversations.json']).toMatchObject({ status: 'ingested', format: 'chatgpt', added: 6 })
    expect(byName['note.txt']).toMatchObject({ status: 'ingested', format: 'text', added: 1 })
    expect(byName['photo.png']).toMatchObject({ status: 'skipped', code: 'E_UNSUPPORTED_FORMAT' })
    expect(byName['broken.json']).toMatchObject({ status: 'skipped', code: 'E_MALFORMED_FILE' })
    expect(byName['huge.txt']).toMatchObject({ status: 'skipped', code: 'E_FILE_TOO_LARGE', reason: expect.stringContaining('memory.maxFileBytes') })
    expect(first).toMatchObject({ files: 5, added: 7, known: 0, skipped: 3 })

    const again = await memory.ingest([data])
    expect(again).toMatchObject({ added: 0, known: 7, skipped: 3 })
    expect(again.reports.filter(r => r.status === 'known')).toHaveLength(2)
    await memory.close()
  })

  it('keeps ids stable when an export moves or grows, and maps ChatGPT "user" to the owner named at init', async () => {
    await using node = await freshNode()
    const a = join(node.dir, 'a.json')
    await copyFile(join(SOURCES, 'conversations.json'), a)
    const memory = await Memory.open(node.me.vault, { owner: 'Robin' })
    await memory.ingest([a])
    const moved = join(node.dir, 'later', 'conversations.json')
    await mkdir(join(node.dir, 'later'))
    await copyFile(a, moved)
    const second = await memory.ingest([moved])
    expect(second).toMatchObject({ added: 0, known: 6 })
    const live = await memory.recall('how long should I rest my knee', { k: 3 })
    expect(live.slice(0, 2).map(h => h.text).join(' ')).toContain('three weeks')
    expect(live.map(h => h.text).join(' ')).not.toContain('two weeks')
    expect(memory.list().filter(i => i.speaker === 'Robin')).toHaveLength(3)
    expect(memory.list()[0]?.thread).toContain('Knee recovery')
    await memory.close()
  })

  it('takes the owner from init --name when the memory section names none', async () => {
    await using tmp = await tempDir('secondme-owner-')
    const me = await SecondMe.init({ home: join(tmp.path, 'home'), passphrase: 'pw', kdf: TEST_KDF, displayName: 'Robin', memory: { embedder: null } })
    try {
      await me.memory.ingest([join(SOURCES, 'conversations.json')])
      expect(new Set(me.memory.list().map(i => i.speaker))).toEqual(new Set(['Robin', 'ChatGPT']))
    } finally {
      await me.close()
    }
  })
})
