import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatResult, fuzzTarget } from '../test/fuzz/runner.js'
import { makeWorld, targets } from '../test/fuzz/targets.js'

// npm run fuzz [-- --cases N --seed S --only <substring>]: every decoder and verifier, N cases each
// (default 100,000). Prints one line per target; exits 1 on any crash or hang.

const args = process.argv.slice(2)
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i < 0 ? undefined : args[i + 1] }
const cases = Number(opt('cases') ?? 100_000)
const seed = Number(opt('seed') ?? Date.now() % 2 ** 31)
const only = opt('only')

const dir = await mkdtemp(join(tmpdir(), 'secondme-fuzz-'))
let bad = 0
const world = await makeWorld(dir)
try {
  console.log(`fuzz: ${cases} cases per target, seed ${seed}, load ${execFileSync('uptime').toString().trim()}`)
  for (const target of await targets(world)) {
    if (only !== undefined && !target.name.includes(only)) continue
    const r = await fuzzTarget(target, cases, seed)
    bad += r.crashes + r.hangs + r.falseAccepts
    console.log(formatResult(r))
  }
} finally {
  await world.close()
  await rm(dir, { recursive: true, force: true })
}
console.log(bad === 0 ? 'fuzz: 0 crashes, 0 hangs, 0 false accepts' : `fuzz: ${bad} crashes/hangs/false accepts`)
process.exitCode = bad === 0 ? 0 : 1
