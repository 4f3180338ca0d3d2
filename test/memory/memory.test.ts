import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { SecondMe } from '../../src/node.js'
import { PUBLIC_SCOPE, type Scope } from '../../src/scope.js'
import { freshNode, LOCOMO_SAMPLE, writeJson } from './helpers.js'

describe('memory: ingest, recall, forget, visibility (lexical only)', () => {
  it('ingests files and folders once: re-ingesting the same source adds nothing', async () => {
    await using node = await freshNode()
    const data = join(node.dir, 'data')
    await mkdir(join(data, 'notes'), { recursive: true })
    const file = await writeJson(data, 'conv.json', LOCOMO_SAMPLE)
    await writeFile(join(data, 'notes', 'note.md'), '# Garden\n\nI grow tomatoes and basil on the balcony.')
    const first = await node.me.memory.ingest([data])
    expect(first).toMatchObject({ files: 2, added: 5, known: 0, skipped: 0 })
    const again = await node.me.memory.ingest([file, join(data, 'notes', 'note.md')])
    expect(again).toMatchObject({ files: 2, added: 0, known: 5, skipped: 0 })
    expect(again.reports.map(r => r.status)).toEqual(['known', 'known'])
    expect(node.me.memory.size).toBe(5)
    const item = node.me.memory.list().find(i => i.ref === 'D1:1')
    expect(item).toMatchObject({ speaker: 'Ana', source: file, visibility: 'private', time: '2023-05-08T13:56:00.000Z' })
    expect(item?.topics.length).toBeGreaterThan(0)
  })

  it('writes nothing for a malformed file, even when good files come with it', async () => {
    await using node = await freshNode()
    const good = await writeJson(node.dir, 'good.json', { messages: [{ speaker: 'me', text: 'a fine message' }] })
    const bad = await writeJson(node.dir, 'bad.json', { messages: [{ speaker: 'me' }] })
    const odd = join(node.dir, 'photo.png')
    await writeFile(odd, 'png')
    await expect(node.me.memory.ingest([good, bad])).rejects.toMatchObject({ code: 'E_MALFORMED_FILE', message: expect.stringContaining('bad.json') })
    await expect(node.me.memory.ingest([odd])).rejects.toMatchObject({ code: 'E_UNSUPPORTED_FORMAT' })
    await expect(node.me.memory.ingest([join(node.dir, 'missing.txt')])).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
    expect(node.me.memory.size).toBe(0)
    expect(await node.me.vault.store('memory-items').count()).toBe(0)
    expect(await node.me.vault.store('memory-sources').count()).toBe(0)
  })

  it('recalls with text, time, source and score; forget removes from vault and index', async () => {
    await using node = await freshNode()
    const file = await writeJson(node.dir, 'conv.json', LOCOMO_SAMPLE)
    await node.me.memory.ingest([file])
    const hits = await node.me.memory.recall('greyhound Pixel', { k: 3 })
    const top = hits[0]
    expect(top).toMatchObject({ text: 'I adopted a greyhound called Pixel last week.', source: file, time: '2023-05-08T13:56:00.000Z', speaker: 'Ana' })
    expect(top?.score).toBeTypeOf('number')
    if (top === undefined) throw new Error('no hit')
    await node.me.memory.forget(top.id)
    expect(node.me.memory.get(top.id)).toBeUndefined()
    expect((await node.me.memory.recall('greyhound', { k: 10 })).map(h => h.id)).not.toContain(top.id)
    expect(await node.me.vault.store('memory-items').get(top.id)).toBeUndefined()
    expect(await node.me.vault.store('memory-terms').get(top.id)).toBeUndefined()
    await expect(node.me.memory.forget(top.id)).rejects.toBeInstanceOf(InputError)
    // Re-opened from disk the forgotten item is still gone.
    await node.me.close()
    const again = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: null } })
    try {
      expect(again.memory.size).toBe(3)
      expect((await again.memory.recall('greyhound', { k: 10 })).map(h => h.id)).not.toContain(top.id)
    } finally {
      await again.close()
    }
  })

  it('applies the scope inside retrieval: a private memory never comes out under a peer scope', async () => {
    await using node = await freshNode()
    const m = node.me.memory
    const secret = await m.addText('The vault code for the boathouse is 4471 kayak.', { source: 'sim', speaker: 'owner' })
    const near = await m.addText('We keep the kayak in the boathouse by the lake.', { source: 'sim', visibility: 'shareable', topics: ['boating'] })
    const open = await m.addText('I paddle a red kayak every Sunday.', { source: 'sim', visibility: 'public', topics: ['sport'] })
    const shareable: Scope = { visibility: ['shareable', 'public'] }
    for (const scope of [PUBLIC_SCOPE, shareable, { visibility: ['shareable' as const], topics: ['boating'] }]) {
      const ids = (await m.recall('boathouse vault code 4471 kayak', { k: 50, scope })).map(h => h.id)
      expect(ids).not.toContain(secret.id)
      expect(ids.length).toBeGreaterThan(0)
    }
    expect((await m.recall('kayak', { k: 50, scope: PUBLIC_SCOPE })).map(h => h.id)).toEqual([open.id])
    expect((await m.recall('kayak', { k: 50, scope: { visibility: ['shareable', 'public'], topics: ['Boating'] } })).map(h => h.id)).toEqual([near.id])
    const viaNetwork = await m.scoped().recall('vault code 4471', PUBLIC_SCOPE, 5)
    expect(viaNetwork.map(h => h.id)).not.toContain(secret.id)
    expect((await m.recall('vault code 4471', { k: 1 }))[0]?.id).toBe(secret.id)
    expect(m.list({ scope: PUBLIC_SCOPE }).map(i => i.id)).toEqual([open.id])
    expect(JSON.stringify(m.bio({ scope: PUBLIC_SCOPE }))).not.toContain('4471')
  })

  it('sets visibility per item and per topic (including later items of the topic)', async () => {
    await using node = await freshNode()
    const m = node.me.memory
    const a = await m.addText('I bake sourdough bread on Saturdays.', { topics: ['baking'] })
    await m.addText('My starter is called Bubbles.', { topics: ['baking'] })
    // Both items are all of memory: a bulk change is only previewed until confirmed.
    const preview = await m.setVisibility('baking', 'public', { topic: true })
    expect(preview).toMatchObject({ changed: 0, applied: false, preview: { count: 2, of: 2 } })
    expect(m.list({ scope: PUBLIC_SCOPE })).toHaveLength(0)
    expect(await m.setVisibility('baking', 'public', { topic: true, yes: true })).toMatchObject({ changed: 2, applied: true })
    const later = await m.addText('Rye flour makes the crumb dense.', { topics: ['baking'] })
    expect(m.get(later.id)?.visibility).toBe('public')
    expect(await m.setVisibility(a.id, 'private')).toMatchObject({ changed: 1, applied: true })
    expect(m.list({ scope: PUBLIC_SCOPE })).toHaveLength(2)
    expect(m.topics()).toContainEqual({ topic: 'baking', count: 3, visibility: 'mixed' })
    await expect(m.setVisibility('no-such-thing', 'public')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('rejects bad addText input and changes nothing', async () => {
    await using node = await freshNode({ embedder: null })
    await expect(node.me.memory.addText('  ')).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
    await expect(node.me.memory.addText('x', { time: 'not a date' })).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
    expect(node.me.memory.list()).toEqual([])
  })

  it('builds a third-person bio from facts, each sentence citing the facts it states', async () => {
    await using node = await freshNode()
    await node.me.memory.addText('I work as a luthier and I love restoring old violins.', { speaker: 'Ada', time: '2023-05-08T10:00:00Z' })
    await node.me.memory.addText('You should try the new café.', { speaker: 'Bob', time: '2023-05-08T10:01:00Z' })
    const bio = node.me.memory.bio({ person: 'Ada' })
    expect(bio.summary).toBe('Ada works as a luthier and she loves restoring old violins.')
    const cited = bio.sentences.flatMap(s => s.facts)
    expect(cited.length).toBeGreaterThan(0)
    for (const id of cited) expect(node.me.memory.fact(id)?.person).toBe('Ada')
    expect(node.me.memory.bio({ person: 'Ada', scope: PUBLIC_SCOPE }).sentences).toEqual([])
  })

  it('never writes an ingested plaintext string to the raw LevelDB files', async () => {
    await using node = await freshNode()
    const canary = 'canary-zebra-59317-plaintext'
    await node.me.memory.addText(`remember ${canary} please`, { speaker: 'owner', topics: [canary] })
    await node.me.memory.ingest([await writeJson(node.dir, 'c.json', { messages: [{ speaker: canary, text: `${canary} in a file` }] })])
    await node.me.close()
    const vaultDir = join(node.home, 'vault')
    let bytes = 0
    for (const entry of await readdir(vaultDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const raw = await readFile(join(entry.parentPath, entry.name))
      bytes += raw.length
      expect(raw.includes(Buffer.from(canary)), entry.name).toBe(false)
      expect(raw.includes(Buffer.from('zebra')), entry.name).toBe(false)
    }
    expect(bytes).toBeGreaterThan(0)
  })
})
