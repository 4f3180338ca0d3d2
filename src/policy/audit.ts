import { createHash } from 'node:crypto'
import { z } from 'zod'
import { PolicyError } from '../errors.js'
import { canonicalBytes } from '../identity/sign.js'
import type { Vault } from '../vault/index.js'
import type { VaultStore } from '../vault/store.js'
import type { AnchorRead, AuditAnchor } from './audit-anchor.js'

// Append-only, hash-chained audit log. Each entry holds the hash of the previous one, and a head
// record (written in the same atomic batch) holds the last seq and hash, so an edited, deleted or
// reordered entry breaks the chain. A signed anchor file outside LevelDB (audit-anchor.ts) records
// the newest durable entry, so a lost tail (a damaged or deleted write-ahead log rolls back the
// entries and the in-vault head together) is detected too. Entries hold ids and codes only.

export const AUDIT_STORE = 'policy-audit'
export const AUDIT_HEAD_STORE = 'policy-audit-head'
const HEAD_KEY = 'head'
export const GENESIS = '0'.repeat(64)

export const AUDIT_KINDS = ['authorize', 'disclose', 'refuse', 'intro', 'consent', 'grant', 'revoke', 'rule', 'repair', 'keys'] as const
export const AUDIT_DECISIONS = ['allow', 'refuse', 'pending', 'info'] as const

const IdList = z.array(z.string().min(1).max(200)).max(1000)

export const AuditEventSchema = z.object({
  kind: z.enum(AUDIT_KINDS),
  peer: z.string().max(128).optional(),
  decision: z.enum(AUDIT_DECISIONS),
  code: z.string().max(40).optional(),
  action: z.string().max(40).optional(),
  protocol: z.string().max(100).optional(),
  grantId: z.string().max(64).optional(),
  /** Ids of disclosed items (memories), never their text. */
  items: IdList.optional(),
  detail: z.string().max(200).optional()
}).strict()
export type AuditEvent = z.infer<typeof AuditEventSchema>

export const AuditEntrySchema = AuditEventSchema.extend({
  seq: z.number().int().nonnegative(),
  time: z.number().int(),
  prevHash: z.string(),
  hash: z.string()
}).strict()
export type AuditEntry = z.infer<typeof AuditEntrySchema>

const HeadSchema = z.object({ seq: z.number().int(), hash: z.string() }).strict()

export interface AuditVerifyReport {
  ok: boolean
  entries: number
  /** First broken entry (by position in the log) and why, when not ok. */
  brokenAt?: number
  reason?: string
}

interface Pending {
  event: AuditEvent
  resolve: (entry: AuditEntry) => void
  reject: (err: unknown) => void
}

/** Most events written in one fsynced batch (group commit under a flood of disclosures). */
const MAX_GROUP = 512

export class AuditLog {
  readonly #vault: Vault
  readonly #anchor: AuditAnchor | undefined
  #queue: Pending[] = []
  #writing = false
  /**
   * The head as of our last append. Appends are serialised and this log is the store's only writer
   * (the vault is locked by one process), so a read per append would only return this again.
   * Forgotten when a write fails, so the next append reads the head from the store.
   */
  #head: { seq: number, hash: string } | undefined

  /** Without an anchor (bare vaults in tests) the chain is still checked, but a lost tail is not. */
  constructor (vault: Vault, anchor?: AuditAnchor) {
    this.#vault = vault
    this.#anchor = anchor
  }

  get anchor (): AuditAnchor | undefined {
    return this.#anchor
  }

  /**
   * Append one event. It resolves only once the entry is fsynced in the vault and the signed anchor
   * covers it, whatever `vault.sync` says: a disclosure is answered only after this. Events that
   * arrive while a write is in flight share the next fsync (group commit), in arrival order.
   */
  async append (event: AuditEvent): Promise<AuditEntry> {
    const parsed = AuditEventSchema.parse(event)
    return await new Promise<AuditEntry>((resolve, reject) => {
      this.#queue.push({ event: parsed, resolve, reject })
      if (!this.#writing) void this.#drain()
    })
  }

  /** Resolves once every event appended so far is written (or has failed). */
  async flush (): Promise<void> {
    while (this.#writing || this.#queue.length > 0) await this.#drained
  }

  #drained: Promise<void> = Promise.resolve()

  async #drain (): Promise<void> {
    this.#writing = true
    let done = (): void => {}
    this.#drained = new Promise<void>(resolve => { done = resolve })
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, MAX_GROUP)
        try {
          const entries = await this.#writeGroup(group.map(p => p.event))
          group.forEach((p, i) => { p.resolve(entries[i] as AuditEntry) })
        } catch (err) {
          for (const p of group) p.reject(err)
        }
      }
    } finally {
      this.#writing = false
      done()
    }
  }

  async #writeGroup (events: AuditEvent[]): Promise<AuditEntry[]> {
    let head = this.#head ?? await this.#readHead()
    this.#head = undefined
    const entries: AuditEntry[] = []
    for (const event of events) {
      const seq = head === undefined ? 0 : head.seq + 1
      const body = { ...event, seq, time: Date.now(), prevHash: head === undefined ? GENESIS : head.hash }
      const entry: AuditEntry = { ...body, hash: hashOf(body) }
      entries.push(entry)
      head = { seq, hash: entry.hash }
    }
    if (head === undefined) return entries
    await this.#vault.batch([
      ...entries.map(entry => ({ type: 'put' as const, store: this.#entries(), key: seqKey(entry.seq), value: entry })),
      { type: 'put', store: this.#heads(), key: HEAD_KEY, value: head }
    ], { sync: true })
    // Written only after the entries are durable: the anchor may lag the log after a crash, never lead it.
    await this.#anchor?.advance(head.seq, head.hash)
    this.#head = head
    return entries
  }

  /**
   * After verify() found the newest entries lost (or the anchor gone): record the loss as an entry
   * chained to the last surviving one, and anchor the log there afresh. The loss stays in the log.
   */
  async recordLoss (detail: string): Promise<AuditEntry> {
    await this.flush()
    let last: AuditEntry | undefined
    for await (const [, value] of this.#entries().entries({ reverse: true, limit: 1 })) {
      const parsed = AuditEntrySchema.safeParse(value)
      if (parsed.success) last = parsed.data
    }
    // The in-vault head may have survived the entries it covered: chain from what is really there.
    this.#head = last === undefined ? { seq: -1, hash: GENESIS } : { seq: last.seq, hash: last.hash }
    const entry = await this.append({ kind: 'repair', decision: 'info', detail: detail.slice(0, 200) })
    await this.#anchor?.create(entry.seq, entry.hash)
    return entry
  }

  async #readHead (): Promise<{ seq: number, hash: string } | undefined> {
    const head = HeadSchema.safeParse(await this.#heads().get(HEAD_KEY))
    return head.success ? head.data : undefined
  }

  /** The newest `limit` entries, oldest first. */
  async list (limit = 50): Promise<AuditEntry[]> {
    // Readers see every event appended before they asked, even refusals still in the queue.
    await this.flush()
    const out: AuditEntry[] = []
    for await (const [, value] of this.#entries().entries({ reverse: true, limit })) {
      const parsed = AuditEntrySchema.safeParse(value)
      if (parsed.success) out.push(parsed.data)
    }
    return out.reverse()
  }

  /** Walk the whole chain: seq order, prevHash links, recomputed hashes, the head and the anchor. */
  async verify (): Promise<AuditVerifyReport> {
    await this.flush()
    const anchor = await this.#anchor?.read()
    if (anchor?.state === 'invalid') return { ok: false, entries: 0, brokenAt: 0, reason: anchor.reason }
    let prev = GENESIS
    let expected = 0
    for await (const [key, value] of this.#entries().entries()) {
      const broken = (reason: string): AuditVerifyReport => ({ ok: false, entries: expected, brokenAt: expected, reason })
      const parsed = AuditEntrySchema.safeParse(value)
      if (!parsed.success) return broken('entry is malformed')
      const { hash, ...body } = parsed.data
      if (key !== seqKey(expected) || body.seq !== expected) return broken('entry is missing or out of order')
      if (body.prevHash !== prev) return broken('entry does not link to the previous one')
      if (hashOf(body) !== hash) return broken('entry was modified')
      if (anchor?.state === 'ok' && anchor.seq === expected && anchor.hash !== hash) return broken('entry differs from the anchored head')
      prev = hash
      expected++
    }
    const head = HeadSchema.safeParse(await this.#heads().get(HEAD_KEY))
    const headOk = head.success ? head.data.seq === expected - 1 && head.data.hash === prev : expected === 0
    if (!headOk) return { ok: false, entries: expected, brokenAt: expected, reason: 'log was truncated (head does not match the last entry)' }
    const lost = anchorGap(anchor, expected)
    if (lost !== undefined) return { ok: false, entries: expected, brokenAt: expected, reason: lost }
    return { ok: true, entries: expected }
  }

  /** verify() that throws E_AUDIT_TAMPERED. */
  async assertIntact (): Promise<void> {
    const report = await this.verify()
    if (!report.ok) throw new PolicyError('E_AUDIT_TAMPERED', `audit log broken at entry ${report.brokenAt ?? '?'}: ${report.reason ?? ''}`, { data: { ...report } })
  }

  #entries (): VaultStore<unknown> {
    return this.#vault.store<unknown>(AUDIT_STORE)
  }

  #heads (): VaultStore<unknown> {
    return this.#vault.store<unknown>(AUDIT_HEAD_STORE)
  }
}

/** Why the log falls short of its anchor, or undefined when it reaches it. */
function anchorGap (anchor: AnchorRead | undefined, entries: number): string | undefined {
  if (anchor === undefined) return undefined
  if (anchor.state === 'missing') return entries === 0 ? undefined : 'the audit anchor file is missing'
  if (anchor.state === 'ok' && anchor.seq >= entries) {
    return `newest entries lost: the anchor covers entry ${anchor.seq} but the log ends at ${entries - 1}`
  }
  return undefined
}

function seqKey (seq: number): string {
  return seq.toString().padStart(16, '0')
}

function hashOf (body: Omit<AuditEntry, 'hash'>): string {
  const flat = flatCanonical(body)
  return createHash('sha256').update(flat ?? canonicalBytes(body)).digest('hex')
}

type Flat = string | number | boolean | null

/**
 * The canonical JSON (RFC 8785) of a flat object — strings, finite numbers, booleans, null and lists
 * of those, as every audit entry is — or undefined for anything else. For such an object JCS is
 * JSON.stringify with the keys sorted, at a fraction of the general canonicaliser's cost; the bytes
 * are the same (test/policy compares them), so entries written either way verify either way.
 */
export function flatCanonical (value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value).sort()
  for (const key of keys) {
    const v = value[key]
    if (Array.isArray(v) ? !v.every(isFlat) : !isFlat(v) && v !== undefined) return undefined
  }
  return JSON.stringify(value, keys)
}

function isFlat (v: unknown): v is Flat {
  return typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v))
}
