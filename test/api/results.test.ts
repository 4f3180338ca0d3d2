import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_OPS, describeOp, listOps } from '../../src/ops.js'
import { testHome, type TestHome } from '../agent/home.js'
import { checkedCall, expectResult } from '../helpers/ops.js'
import { REPO_ROOT } from '../helpers/tmp.js'
import { TINY_RANDOM } from '../model/models-path.js'

// Every op's actual result must validate against its result schema (the schema doors publish as
// OpenAPI / MCP tool schemas). Ops are checked where a test already runs them for real
// (`checkedCall` / `expectResult`); the last test makes sure no op is left unchecked.

let home: TestHome
beforeAll(async () => { home = await testHome() })
afterAll(async () => { await home[Symbol.asyncDispose]() })

describe.sequential('op results match their schemas', () => {
  it('status and the memory ops', async () => {
    const me = home.me
    expect(await checkedCall(me, 'status', {})).toMatchObject({ peerId: me.peerId, displayName: 'Ada' })
    const note = join(home.dir, 'note.md')
    await writeFile(note, '# Garden\n\nI grow tomatoes and basil on my balcony in Lisbon.\n')
    expect(await checkedCall(me, 'ingest', { paths: [note] })).toMatchObject({ files: 1, added: 1 })
    const added = await checkedCall(me, 'remember', { text: 'I ride my bike to work every morning', time: '2024-05-01T08:00:00Z', speaker: 'Ada', visibility: 'shareable' })
    expect(added.added).toBe(true)
    expect(await checkedCall(me, 'embed', {})).toEqual({ embedded: 0 })
    const hits = await checkedCall(me, 'recall', { query: 'bike to work', k: 3 })
    expect(hits[0]?.id).toBe(added.id)
    const listed = await checkedCall(me, 'memories', { limit: 10 })
    expect(listed.total).toBe(2)
    expect(await checkedCall(me, 'bio', {})).toHaveProperty('summary')
    expect((await checkedCall(me, 'facts', { rebuild: true })).total).toBeGreaterThanOrEqual(0)
    expect(await checkedCall(me, 'topic', { action: 'add', label: 'cycling', about: 'bike rides' })).toMatchObject({ topic: { label: 'cycling', about: 'bike rides' }, count: 1 })
    expect(await checkedCall(me, 'topic', { action: 'show', label: 'cycling' })).toMatchObject({ topic: 'cycling', count: 1, items: [{ id: added.id }] })
    expect(await checkedCall(me, 'topic', { action: 'rename', label: 'cycling', to: 'biking' })).toEqual({ changed: 1 })
    expect(await checkedCall(me, 'topic', { action: 'merge', from: ['biking'], into: 'commute' })).toEqual({ changed: 1 })
    const topics = await checkedCall(me, 'topics', {})
    expect(topics.length).toBeGreaterThan(0)
    expect(await checkedCall(me, 'visibility', { target: added.id, visibility: 'public' })).toMatchObject({ changed: 1 })
    expect((await checkedCall(me, 'ask', { question: 'How do I get to work?' })).mode).toBe('extractive')
    expect(await checkedCall(me, 'forget', { id: added.id })).toEqual({ forgotten: added.id })
  })

  it('model list / unuse / remove', async () => {
    const me = home.me
    const model = await checkedCall(me, 'model.add', { file: TINY_RANDOM })
    expect(await checkedCall(me, 'model.use', { id: model.id })).toEqual({ modelId: model.id, adapterIds: [] })
    expect((await checkedCall(me, 'model.list', {})).models.map(m => m.id)).toEqual([model.id])
    expect(await checkedCall(me, 'model.unuse', {})).toEqual({ modelId: null, adapterIds: [] })
    expect((await checkedCall(me, 'model.remove', { id: model.id })).id).toBe(model.id)
  })

  it('a result with a field its schema does not describe fails the check', () => {
    expect(() => { expectResult('forget', { forgotten: 'x', extra: 1 }) }).toThrow()
    expect(() => { expectResult('forget', { forgotten: 1 }) }).toThrow()
  })

  it('every op publishes params and result as JSON Schema', () => {
    for (const op of listOps()) {
      const d = describeOp(op)
      // An object, or a union of objects (an op with several actions).
      expect(JSON.stringify(d.params), op.name).toContain('"type":"object"')
      expect(JSON.stringify(d.result).length, op.name).toBeGreaterThan(2)
    }
  })

  it('every op has its result checked by some test', async () => {
    const checked = new Set<string>()
    for (const file of await testFiles(join(REPO_ROOT, 'test'))) {
      const text = await readFile(file, 'utf8')
      for (const m of text.matchAll(/checkedCall\([^,]+, '([a-z.]+)'|expectResult\('([a-z.]+)'/g)) checked.add(m[1] ?? m[2] ?? '')
    }
    expect(ALL_OPS.map(op => op.name).filter(name => !checked.has(name))).toEqual([])
  })
})

async function testFiles (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(e => e.isFile() && e.name.endsWith('.test.ts')).map(e => join(e.parentPath, e.name))
}
