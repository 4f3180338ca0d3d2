import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { StaticUseEmbedder } from '../../src/memory/use-static.js'
import { WorkerEmbedder } from '../../src/memory/worker-embedder.js'
import { UseEmbedder } from '../../src/model/use-embedder.js'
import { SecondMe } from '../../src/node.js'
import { runCli } from '../helpers/cli.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'
import { freshNode } from './helpers.js'

const TEXTS = ['We brought home a tiny spaniel from the shelter.', '', 'The quarterly tax return is due in April.',
  ...Array.from({ length: 20 }, (_, i) => `Line ${i} of a long batch, so it spans more than one message to the worker.`)]

describe.sequential('WorkerEmbedder: the USE model in a worker thread', () => {
  const local = new UseEmbedder()
  afterAll(async () => { await local.close() })

  it('runs the model as a static graph with bit-identical vectors (long texts clipped alike)', async () => {
    const fast = new StaticUseEmbedder({ batchSize: 8 })
    const plain = new UseEmbedder({ batchSize: 8 })
    const long = Array.from({ length: 100 }, (_, i) => `token${i} then`).join(' ')
    const texts = [...TEXTS.slice(0, 6), long, 'short', long.slice(0, 300)]
    try {
      expect(await fast.path()).toBe('static')
      const [a, b] = [await fast.embed(texts), await plain.embed(texts)]
      expect(a.map(v => [...v])).toEqual(b.map(v => [...v]))
      expect(fast.id).toBe(plain.id)
    } finally {
      await fast.close()
      await plain.close()
    }
  })

  it('gives the same vectors as the in-thread model, in order, across chunks', async () => {
    // Equal up to float rounding: the model's SIMD sums depend a little on how texts are batched.
    const worker = new WorkerEmbedder()
    try {
      expect(worker.id).toBe(local.id)
      expect(worker.dimension).toBe(local.dimension)
      const [inWorker, inThread] = [await worker.embed(TEXTS), await local.embed(TEXTS)]
      expect(inWorker).toHaveLength(TEXTS.length)
      let maxDiff = 0
      inWorker.forEach((v, i) => v.forEach((x, j) => { maxDiff = Math.max(maxDiff, Math.abs(x - (inThread[i]?.[j] ?? Number.NaN))) }))
      expect(inWorker.map(v => v.length)).toEqual(inThread.map(v => v.length))
      expect(maxDiff).toBeLessThan(1e-6)
    } finally {
      await worker.close()
    }
  })

  it('terminates on close: the worker is gone, a pending embed and later calls fail with E_CLOSED', async () => {
    const worker = new WorkerEmbedder()
    await worker.embed(['warm up'])
    expect(worker.running).toBe(true)
    const pending = worker.embed(['asked just before close']).then(() => 'answered', (err: unknown) => err)
    await worker.close()
    expect(worker.running).toBe(false)
    expect(await pending).toMatchObject({ code: 'E_CLOSED' })
    await expect(worker.embed(['after close'])).rejects.toMatchObject({ code: 'E_CLOSED' })
    await worker.close()
  })

  it('does not keep a process alive while idle, even if never closed', async () => {
    await using dir = await tempDir()
    const script = join(dir.path, 'left-open.mts')
    const module = pathToFileURL(join(REPO_ROOT, 'src/memory/worker-embedder.ts')).href
    await writeFile(script, `import { WorkerEmbedder } from '${module}'\nconst e = new WorkerEmbedder()\nconsole.log((await e.embed(['left open']))[0]?.length)\n`)
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8') })
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const code = await new Promise<number | null>(resolve => child.on('close', resolve))
    clearTimeout(killer)
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: '512' })
  })

  it('serves a node: vectors from the in-thread model are reused, recall and forget work on the dense index', async () => {
    await using node = await freshNode({ embedder: local })
    const m = node.me.memory
    const dog = await m.addText('We brought home a tiny spaniel from the shelter.')
    await m.addText('The quarterly tax return is due in April.')
    const paint = await m.addText('I repainted the kitchen walls pale green.')
    await m.embedPending()
    const before = await m.recall('puppy adoption', { k: 3 })
    await node.me.close()

    const worker = new WorkerEmbedder()
    const again = await SecondMe.open({ home: node.home, passphrase: 'pw', memory: { embedder: worker } })
    try {
      expect(again.memory.pendingEmbeddings).toBe(0)
      expect(await again.memory.recall('puppy adoption', { k: 3 })).toEqual(before)
      // Forgetting the first row moves the last one into its place: it must still be found by meaning.
      await again.memory.forget(dog.id)
      expect((await again.memory.recall('home decoration colours', { k: 1 }))[0]?.id).toBe(paint.id)
    } finally {
      await again.close()
      await worker.close()
    }
  })

  it('is what the CLI uses by default: ingest and recall by meaning through bin/secondme.js', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'home')
    const env = { SECONDME_PASSPHRASE: 'open sesame' }
    expect((await runCli(['--home', home, 'init'], env)).code).toBe(0)
    expect((await runCli(['--home', home, 'ingest', join(REPO_ROOT, 'examples', 'memory')], env)).code).toBe(0)
    const recall = await runCli(['--home', home, '--json', 'recall', 'musical instrument lessons', '-k', '1'], env)
    expect(recall.code).toBe(0)
    // No word in common with any memory: only the embedding can find it.
    expect(recall.stdout).toMatch(/cello/)
  }, 240_000)
})
