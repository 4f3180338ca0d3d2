import { SecondMe } from '../../src/node.js'

// Child of chunks.test.ts: ingests a large export and kills itself (SIGKILL, no cleanup) once
// some of its chunks are written, as a power cut would.
const [home, path] = process.argv.slice(2)
if (home === undefined || path === undefined) throw new Error('usage: ingest-kill.ts <home> <export>')
const me = await SecondMe.open({ home, passphrase: 'pw', memory: { embedder: null } })
await me.memory.ingest([path], {
  embed: false,
  onProgress: (e) => {
    if (e.phase !== 'reading' || me.memory.size === 0) return
    process.stdout.write(`written ${me.memory.size}\n`, () => process.kill(process.pid, 'SIGKILL'))
  }
})
process.stdout.write('finished\n')
