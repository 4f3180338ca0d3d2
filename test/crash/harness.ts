import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { doctor } from '../../src/doctor.js'
import { Identity } from '../../src/identity/index.js'
import { SecondMe } from '../../src/node.js'
import { AUDIT_STORE } from '../../src/policy/audit.js'
import { ITEM_STORE } from '../../src/memory/memory.js'
import { rotationDetail } from '../../src/rotation.js'
import { REPO_ROOT, TEST_KDF } from '../helpers/tmp.js'

// The crash harness (`npm run crash`, a short run in `npm test`): rounds of kill -9 at a random
// moment while a worker process ingests, issues grants, queues and approves consent, appends audit
// entries or rotates the identity key. After each kill: `doctor` must find the home clean, the audit
// chain must verify, every write the worker acknowledged before it died must be there, and the
// keyring's rotations and the log's rotation entries must match one to one.

export const KINDS = ['ingest', 'grant', 'consent', 'audit', 'rotate', 'mixed'] as const
export type Kind = typeof KINDS[number]

/**
 * The round schedule of `npm run crash`: a rotation is slower than the other writes (it opens the
 * vault and walks the audit chain each time), so rotations get more rounds — plain and between
 * other writes (mixed) — for their count of acknowledged writes to mean something.
 */
export const SCHEDULE: readonly Kind[] = ['rotate', 'ingest', 'mixed', 'grant', 'rotate', 'consent', 'mixed', 'audit', 'rotate', 'mixed']
const PASS = 'crash harness passphrase'

export interface Ack { kind: string, id: string, grant?: string }

export interface RoundResult {
  round: number
  kind: Kind
  killedAfterMs: number
  acked: number
  lost: string[]
  clean: boolean
  problems: string[]
  auditOk: boolean
  auditEntries: number
}

export interface CrashHome { home: string, peer: string, acks: Ack[] }

export async function makeCrashHome (dir: string): Promise<CrashHome> {
  const home = join(dir, 'home')
  await (await SecondMe.init({ home, passphrase: PASS, kdf: TEST_KDF, memory: { embedder: null } })).close()
  return { home, peer: (await Identity.generate()).id, acks: [] }
}

/** Start a worker, kill it with SIGKILL `delayMs` after it is ready, collect its acknowledgements. */
async function killedWorker (h: CrashHome, kind: Kind, delayMs: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/crash/worker.ts'), h.home, PASS, kind, h.peer], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SECONDME_EXIT_WITH_PARENT: '1' }
  })
  let out = ''
  let err = ''
  let timer: NodeJS.Timeout | undefined
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString()
    if (timer === undefined && out.includes('"ready"')) timer = setTimeout(() => { child.kill('SIGKILL') }, delayMs)
  })
  const signal = await new Promise<NodeJS.Signals | null>(resolve => { child.on('close', (_code, sig) => { resolve(sig) }) })
  clearTimeout(timer)
  if (signal !== 'SIGKILL') throw new Error(`the ${kind} worker ended on its own: ${err.slice(0, 500)}`)
  // Lines cut by the kill were never acknowledged; only whole lines count.
  return out.split('\n').slice(0, -1).map(l => JSON.parse(l) as Ack & { ready?: boolean }).filter(a => a.ready !== true)
}

/** Every acknowledged write, looked up in the reopened home; the ones missing. */
async function lostWrites (me: SecondMe, acks: Ack[]): Promise<string[]> {
  const audited = new Set<string>()
  for await (const [, value] of me.vault.store<{ items?: string[] }>(AUDIT_STORE).entries()) for (const i of value.items ?? []) audited.add(i)
  const items = me.vault.store(ITEM_STORE)
  const lost: string[] = []
  for (const a of acks) {
    const found = a.kind === 'ingest' ? await items.has(a.id)
      : a.kind === 'grant' ? await me.policy.book.issuedToken(a.id).then(() => true, () => false)
        : a.kind === 'consent' ? await me.policy.consent.get(a.id).then(() => true, () => false)
          : a.kind === 'approve' ? await me.policy.consent.get(a.id).then(r => r.state === 'approved' && r.grantId === a.grant, () => false)
            : a.kind === 'audit' ? audited.has(a.id)
              : a.kind === 'rotate' ? me.peerId === a.id || me.identity.predecessors.includes(a.id)
                : false
    if (!found) lost.push(`${a.kind} ${a.id}`)
  }
  return lost
}

/** Every rotation in the keyring has its audit entry, and every rotation entry is in the keyring. */
async function rotationProblems (me: SecondMe): Promise<string[]> {
  const inKeyring = me.identity.successions.map(s => rotationDetail(s.prev, s.next))
  const inLog: string[] = []
  for await (const [, value] of me.vault.store<{ kind?: string, detail?: string }>(AUDIT_STORE).entries()) if (value.kind === 'keys') inLog.push(value.detail ?? '')
  return [
    ...inKeyring.filter(d => !inLog.includes(d)).map(d => `rotation without its audit entry: ${d}`),
    ...inLog.filter(d => !inKeyring.includes(d)).map(d => `audit entry for a rotation that did not happen: ${d}`)
  ]
}

export async function crashRound (h: CrashHome, round: number, kind: Kind, delayMs: number): Promise<RoundResult> {
  const acks = await killedWorker(h, kind, delayMs)
  h.acks.push(...acks)
  const report = await doctor({ home: h.home, passphrase: PASS, memory: { embedder: null } })
  const me = await SecondMe.open({ home: h.home, passphrase: PASS, memory: { embedder: null }, onRepair: () => {} })
  try {
    const audit = await me.policy.audit.verify()
    const rotations = await rotationProblems(me)
    return {
      round, kind, killedAfterMs: delayMs, acked: acks.length, lost: await lostWrites(me, h.acks),
      clean: report.clean && rotations.length === 0, problems: [...report.problems, ...rotations], auditOk: audit.ok, auditEntries: audit.entries
    }
  } finally {
    await me.close()
  }
}
