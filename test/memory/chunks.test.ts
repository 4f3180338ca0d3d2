import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHUNK_ITEMS } from '../../src/memory/source-write.js'
import { SecondMe } from '../../src/node.js'
import { writeChatGpt, writeWhatsApp } from '../../scripts/ingest/synthetic.js'
import { REPO_ROOT } from '../helpers/tmp.js'
import { freshNode } from './helpers.js'

// A source larger than one write chunk: written chunk by chunk, yet all or nothing.

describe('ingest in chunks: bounded memory, one source all or nothing', () => {
  it('writes a source of several chunks whole: every item once, thread order kept across chunks, re-ingest adds nothing', async () => {
    await using node = await freshNode()
    const chat = join(node.dir, 'WhatsApp Chat with Sam.txt')
    const messages = await writeWhatsApp(chat, Math.round(CHUNK_ITEMS * 2.5))
    const first = await node.me.memory.ingest([chat], { embed: false })
    expect(first.added).toBe(messages)
    expect(messages).toBeGreaterThan(2 * CHUNK_ITEMS)
    // One thread over three chunks: its places run 0..n-1 with no gap or repeat.
    const seqs = node.me.memory.list().map(i => i.seq).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: messages }, (_, i) => i))
    const again = await node.me.memory.ingest([chat], { embed: false })
    expect(again).toMatchObject({ added: 0, known: messages })
  }, 120_000)

  it('a ChatGPT export that breaks after several chunks fails whole: the chunks already written are rolled back', async () => {
    await using node = await freshNode()
    const path = join(node.dir, 'conversations.json')
    const turns = await writeChatGpt(path, 3 * 1024 * 1024)
    expect(turns).toBeGreaterThan(2 * CHUNK_ITEMS)
    // Cut the closing bracket and end in garbage: only the end of the file is malformed.
    const text = await readFile(path, 'utf8')
    await truncate(path, Buffer.byteLength(text) - 1)
    await appendFile(path, ',{"mapping": oops')
    await expect(node.me.memory.ingest([path], { embed: false })).rejects.toMatchObject({ code: 'E_MALFORMED_FILE' })
    expect(node.me.memory.size).toBe(0)
    expect(node.me.memory.facts()).toEqual([])
    await writeFile(path, text)
    expect((await node.me.memory.ingest([path], { embed: false })).added).toBe(turns)
  }, 120_000)

  it('an ingest killed after some chunks landed leaves nothing visible: the next open rolls them back', async () => {
    await using node = await freshNode()
    const path = join(node.dir, 'conversations.json')
    await writeChatGpt(path, 9 * 1024 * 1024)
    await node.me.close()
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/memory/ingest-kill.ts'), node.home, path], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (b: Buffer) => { out += b.toString() })
    const [code, signal] = await once(child, 'exit') as [number | null, string | null]
    expect({ code, signal, out }).toMatchObject({ signal: 'SIGKILL', out: expect.stringMatching(/^written \d+/) })
    const me = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: null } })
    try {
      expect(me.memory.size).toBe(0)
      expect(me.memory.facts()).toEqual([])
    } finally {
      await me.close()
    }
    // Rolled back for good: a second open finds nothing pending and nothing to show.
    const again = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: null } })
    expect(again.memory.size).toBe(0)
    await again.close()
  }, 180_000)
})
