// bench:ingest — per source format: items/s of lexical ingest (parse → items → one vault batch →
// index) and the peak RSS growth while ingesting a large synthetic export generated in a temp dir
// (each format in its own child process so one format's heap does not hide another's); then the
// embedding of 3k LoCoMo turns with one and with two embedding workers.
// usage: npm run bench:ingest -- [--chatgpt-mb 100] [--whatsapp-lines 100000] [--embed-turns 3000] [--only chatgpt,whatsapp]
import '../src/polyfill.js'
import { execFile } from 'node:child_process'
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { writePdf } from '../test/fixtures/pdf-writer.js'
import { pdfPages, writeChatGpt, writeIcs, writeMbox, writeTelegram, writeVault, writeWhatsApp } from './ingest/synthetic.js'

const { values: args } = parseArgs({
  options: {
    'chatgpt-mb': { type: 'string', default: '100' },
    'whatsapp-lines': { type: 'string', default: '100000' },
    'embed-turns': { type: 'string', default: '3000' },
    only: { type: 'string' },
    child: { type: 'string' }
  }
})

const MIB = 1024 * 1024
const run = promisify(execFile)

interface Measure { format: string, items: number, seconds: number, rssGrowthMiB: number, fileMiB: number }

async function generate (format: string, dir: string): Promise<string> {
  const path = join(dir, format)
  switch (format) {
    case 'chatgpt': await writeChatGpt(path, Number(args['chatgpt-mb']) * MIB); return path
    case 'whatsapp': await writeWhatsApp(path, Number(args['whatsapp-lines'])); return path
    case 'telegram': await writeTelegram(path, 20, 1000); return path
    case 'mbox': await writeMbox(path, 5000); return path
    case 'calendar': await writeIcs(path, 2000); return path
    case 'pdf': await writeFile(path, writePdf(pdfPages(200))); return path
    case 'notes': await writeVault(path, 2000); return path
    default: throw new Error(`unknown format ${format}`)
  }
}

/** In the child: open a fresh home, ingest one file lexically, report items, time and peak RSS growth. */
async function child (path: string): Promise<void> {
  const { SecondMe } = await import('../src/node.js')
  const home = await mkdtemp(join(tmpdir(), 'bench-ingest-home-'))
  const me = await SecondMe.init({ home, passphrase: 'bench', kdf: { N: 2 ** 10, r: 8, p: 1 }, memory: { embedder: null } })
  try {
    global.gc?.()
    const base = process.memoryUsage().rss
    let peak = base
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
    const t = performance.now()
    const r = await me.memory.ingest([path], { embed: false })
    const seconds = (performance.now() - t) / 1000
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
    console.log(JSON.stringify({ items: r.added, seconds, rssGrowthMiB: (peak - base) / MIB }))
  } finally {
    await me.close()
    await rm(home, { recursive: true, force: true })
  }
}

async function measure (format: string, dir: string): Promise<Measure> {
  const path = await generate(format, dir)
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, '--child', path], { maxBuffer: 1 << 20 })
  const size = await fileSize(path)
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<Measure, 'format' | 'fileMiB'>
  await rm(path, { recursive: true, force: true })
  return { format, fileMiB: size / MIB, ...r }
}

async function fileSize (path: string): Promise<number> {
  const { stat, readdir } = await import('node:fs/promises')
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  let total = 0
  for (const f of await readdir(path)) total += (await stat(join(path, f))).size
  return total
}

/** Embedding of LoCoMo turns: one worker vs two, the same turns, timed from no vectors to all. */
async function embedding (turns: number, workers: number): Promise<{ seconds: number, perSecond: number }> {
  const { SecondMe } = await import('../src/node.js')
  const { WorkerEmbedder } = await import('../src/memory/worker-embedder.js')
  const home = await mkdtemp(join(tmpdir(), 'bench-embed-home-'))
  const embedder = new WorkerEmbedder({ workers })
  const me = await SecondMe.init({ home, passphrase: 'bench', kdf: { N: 2 ** 10, r: 8, p: 1 }, memory: { embedder } })
  try {
    const data = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'shared', 'data', 'locomo', 'dev.json'), 'utf8')) as unknown[]
    let n = 0
    for (const sample of data) {
      const conv = (sample as { conversation: Record<string, unknown> }).conversation
      for (const [key, turnsOf] of Object.entries(conv)) {
        if (!/^session_\d+$/.test(key) || !Array.isArray(turnsOf)) continue
        for (const t of turnsOf as Array<{ speaker: string, text: string, dia_id: string }>) {
          if (n >= turns) break
          await me.memory.addText(t.text, { source: `locomo:${t.dia_id}:${n}`, speaker: t.speaker })
          n++
        }
      }
    }
    await embedder.embed(['warm up the workers'])
    await embedder.embed(Array.from({ length: workers * 8 }, (_, i) => `warm ${i}`))
    const t = performance.now()
    const done = await me.memory.embedPending()
    const seconds = (performance.now() - t) / 1000
    return { seconds, perSecond: done / seconds }
  } finally {
    await me.close()
    await embedder.close()
    await rm(home, { recursive: true, force: true })
  }
}

async function main (): Promise<void> {
  if (args.child !== undefined) return await child(args.child)
  const formats = (args.only ?? 'chatgpt,whatsapp,telegram,mbox,calendar,pdf,notes,embed').split(',')
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'))
  console.log(`bench:ingest  load average ${loadavg().map(l => l.toFixed(2)).join(' ')} (2 cores shared)`)
  try {
    for (const format of formats.filter(f => f !== 'embed')) {
      const m = await measure(format, dir)
      const ok = m.rssGrowthMiB < 300 && m.items / m.seconds >= 2000
      console.log(`${m.format.padEnd(9)} ${m.fileMiB.toFixed(1).padStart(7)} MiB  ${String(m.items).padStart(7)} items in ${m.seconds.toFixed(1).padStart(6)} s = ${(m.items / m.seconds).toFixed(0).padStart(6)} items/s  peak RSS growth ${m.rssGrowthMiB.toFixed(0).padStart(4)} MiB  ${ok ? 'ok' : 'MISSED (target >= 2000 items/s, < 300 MiB)'}`)
    }
    if (formats.includes('embed')) {
      const turns = Number(args['embed-turns'])
      const one = await embedding(turns, 1)
      console.log(`embedding ${turns} LoCoMo turns, 1 worker:  ${one.seconds.toFixed(1)} s = ${one.perSecond.toFixed(1)} turns/s`)
      const two = await embedding(turns, 2)
      const ratio = two.perSecond / one.perSecond
      console.log(`embedding ${turns} LoCoMo turns, 2 workers: ${two.seconds.toFixed(1)} s = ${two.perSecond.toFixed(1)} turns/s  (${ratio.toFixed(2)}x one worker; vs the 23 turns/s baseline ${(two.perSecond / 23).toFixed(2)}x; target >= 1.8x and <= 60 s: ${two.perSecond / 23 >= 1.8 && two.seconds <= 60 ? 'ok' : 'MISSED'})`)
    }
    console.log(`load average after ${loadavg().map(l => l.toFixed(2)).join(' ')}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
