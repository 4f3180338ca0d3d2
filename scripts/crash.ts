import '../src/polyfill.js'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crashRound, makeCrashHome, SCHEDULE } from '../test/crash/harness.js'

// npm run crash [-- --rounds 50 --max-delay 1500 --seed S]: kill -9 at random moments during ingest,
// grant issue, consent, audit append and key rotation (alone and between other writes), in the order
// of SCHEDULE, on one home throughout. After each kill: doctor clean, 0 acknowledged writes lost,
// audit chain verifies, rotations and their audit entries match. Prints the acknowledged writes per
// operation. Exits 1 on any failure.

const args = process.argv.slice(2)
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i < 0 ? undefined : args[i + 1] }
const rounds = Number(opt('rounds') ?? 50)
const maxDelay = Number(opt('max-delay') ?? 1500)
let seed = Number(opt('seed') ?? Date.now() % 2 ** 31)
const random = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31 }

const dir = await mkdtemp(join(tmpdir(), 'secondme-crash-'))
let failures = 0
let acked = 0
let lost = 0
let clean = 0
let intact = 0
try {
  console.log(`crash: ${rounds} rounds, kill -9 within ${maxDelay} ms of ready, seed ${seed}, load ${execFileSync('uptime').toString().trim()}`)
  const h = await makeCrashHome(dir)
  for (let round = 1; round <= rounds; round++) {
    const kind = SCHEDULE[(round - 1) % SCHEDULE.length]!
    const r = await crashRound(h, round, kind, Math.round(random() * maxDelay))
    acked += r.acked
    lost = r.lost.length
    if (r.clean) clean++
    if (r.auditOk) intact++
    const ok = r.clean && r.auditOk && r.lost.length === 0
    if (!ok) failures++
    console.log(`round ${String(round).padStart(2)}  ${kind.padEnd(7)}  killed after ${String(r.killedAfterMs).padStart(4)} ms  acked ${String(r.acked).padStart(4)} (total ${h.acks.length})  lost ${r.lost.length}  doctor ${r.clean ? 'clean' : 'NOT CLEAN'}  audit ${r.auditOk ? 'intact' : 'BROKEN'} (${r.auditEntries} entries)${ok ? '' : `\n  ${[...r.problems, ...r.lost.slice(0, 5)].join('; ')}`}`)
  }
  const perOp = new Map<string, number>()
  for (const a of h.acks) perOp.set(a.kind, (perOp.get(a.kind) ?? 0) + 1)
  const perRound = new Map<string, number>()
  for (let round = 1; round <= rounds; round++) { const k = SCHEDULE[(round - 1) % SCHEDULE.length]!; perRound.set(k, (perRound.get(k) ?? 0) + 1) }
  console.log(`crash: rounds per kind: ${[...perRound].map(([k, n]) => `${k} ${n}`).join(', ')}`)
  console.log(`crash: acknowledged per operation: ${[...perOp].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`)
  console.log(`crash: ${rounds} kills, ${acked} acknowledged writes, ${lost} lost, doctor clean ${clean}/${rounds}, audit intact ${intact}/${rounds}`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
process.exitCode = failures === 0 ? 0 : 1
