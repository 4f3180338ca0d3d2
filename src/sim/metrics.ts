// What a simulation measures, collected while it runs: DHT lookups (latency, success over time),
// requests per protocol (count, bytes, outcome), the checks that must hold (scope, refusals, leaks)
// and process resources sampled on a timer (CPU from process.cpuUsage, RSS from memoryUsage).

export interface LookupSample { atMs: number, phase: string, kind: 'topic' | 'profile', ok: boolean, ms: number, churn: boolean }
export interface ResourceSample { atMs: number, rssBytes: number, heapBytes: number, cpuUserMs: number, cpuSystemMs: number, liveNodes: number }
export interface TrafficCounter { requests: number, ok: number, refused: number, failed: number, bytesOut: number, bytesIn: number }
export interface CheckCounter { passed: number, total: number, failures: string[] }
export interface AttackOutcome { attack: string, attacker: number, victim: number, refused: boolean, code: string, disclosed: number }
export interface Leak { canary: string, owner: number, receiver: number, where: string }
export interface PhaseSpan { name: string, startMs: number, endMs: number }

export const CHECKS = ['announcements stored', 'in-scope answers', 'out-of-scope refused', 'revoked refused', 'introductions granted', 'conversations answered'] as const
export type CheckName = typeof CHECKS[number]

export class Metrics {
  readonly #t0 = performance.now()
  readonly #cpu0 = process.cpuUsage()
  readonly lookups: LookupSample[] = []
  readonly resources: ResourceSample[] = []
  readonly traffic = new Map<string, TrafficCounter>()
  readonly checks = new Map<CheckName, CheckCounter>()
  readonly attacks: AttackOutcome[] = []
  readonly leaks: Leak[] = []
  readonly phases: PhaseSpan[] = []
  /** Operations given up on after ignoring their deadline (see `bounded`), by label. */
  readonly stalls = new Map<string, number>()
  #timer: NodeJS.Timeout | undefined
  #liveNodes = 0

  now (): number {
    return performance.now() - this.#t0
  }

  /** Sample resources every `everyMs` until stopped (plus one sample now). */
  startSampling (everyMs = 250): void {
    this.sample()
    this.#timer = setInterval(() => { this.sample() }, everyMs)
    this.#timer.unref()
  }

  stopSampling (): void {
    clearInterval(this.#timer)
    this.sample()
  }

  setLiveNodes (count: number): void {
    this.#liveNodes = count
  }

  sample (): void {
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage(this.#cpu0)
    this.resources.push({ atMs: this.now(), rssBytes: mem.rss, heapBytes: mem.heapUsed, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, liveNodes: this.#liveNodes })
  }

  async phase<T> (name: string, work: () => Promise<T>): Promise<T> {
    const startMs = this.now()
    try {
      return await work()
    } finally {
      this.phases.push({ name, startMs, endMs: this.now() })
    }
  }

  lookup (sample: Omit<LookupSample, 'atMs'>): void {
    this.lookups.push({ atMs: this.now(), ...sample })
  }

  request (protocol: string, outcome: 'ok' | 'refused' | 'failed', bytesOut: number, bytesIn: number): void {
    const c = this.traffic.get(protocol) ?? { requests: 0, ok: 0, refused: 0, failed: 0, bytesOut: 0, bytesIn: 0 }
    c.requests++
    c[outcome]++
    c.bytesOut += bytesOut
    c.bytesIn += bytesIn
    this.traffic.set(protocol, c)
  }

  stalled (label: string): void {
    this.stalls.set(label, (this.stalls.get(label) ?? 0) + 1)
  }

  check (name: CheckName, passed: boolean, failure?: string): void {
    const c = this.checks.get(name) ?? { passed: 0, total: 0, failures: [] }
    c.total++
    if (passed) c.passed++
    else if (failure !== undefined && c.failures.length < 20) c.failures.push(failure)
    this.checks.set(name, c)
  }
}

/** Byte size of a JSON value as it would travel (UTF-8). */
export function jsonBytes (value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8')
}

export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return sorted[rank] as number
}
