import { z } from 'zod'
import { InputError } from '../errors.js'

// The `http` section of the home's config.json, and the `--http <host:port>|off` flag.

export const DEFAULT_HTTP_LISTEN = '127.0.0.1:7777'

export const HttpConfigSchema = z.object({
  /** `host:port` to serve on, or `off`. Another address than loopback prints a warning. */
  listen: z.string().min(1).max(300).default(DEFAULT_HTTP_LISTEN),
  /** Origins allowed to call from a browser (CORS); none by default. */
  cors: z.array(z.string().url().max(300)).max(50).default([]),
  /** Extra Host header values accepted (e.g. a name the node is reached under); loopback names always are. */
  allowedHosts: z.array(z.string().min(1).max(300)).max(50).default([]),
  /** Largest request body in bytes. */
  bodyLimit: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Per-request deadline for an op, in ms (streamed chat and long ops get the same). */
  timeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
  /** Per-client request budget: a bucket of `burst` requests refilled at `perSecond`. */
  rate: z.object({
    perSecond: z.number().positive().max(1_000_000).default(50),
    burst: z.number().int().min(1).max(1_000_000).default(200)
  }).default({ perSecond: 50, burst: 200 })
})
export type HttpConfig = z.output<typeof HttpConfigSchema>

export interface ListenAddress { host: string, port: number }

export function parseHttpConfig (raw: unknown): HttpConfig {
  const parsed = HttpConfigSchema.safeParse(raw ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InputError('E_BAD_CONFIG', `config http.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/** `host:port`, `[v6]:port` or `off` (undefined). */
export function parseListen (text: string): ListenAddress | undefined {
  const value = text.trim()
  if (value === 'off') return undefined
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value)
  const port = Number(m?.[3])
  if (m === null || !Number.isInteger(port) || port > 65_535) throw new InputError('E_USAGE', `--http expects host:port or off, not "${text}"`)
  return { host: m[1] ?? m[2] ?? '', port }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/

export function isLoopback (host: string): boolean {
  return LOOPBACK.test(host)
}
