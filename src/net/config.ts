import { z } from 'zod'
import { InputError } from '../errors.js'
import { describeIssue } from './wire/codec.js'

/** The `net` section of config.json. Flags of `secondme start` override it. */
export const NetConfigSchema = z.object({
  transport: z.enum(['tcp', 'memory']).default('tcp'),
  listen: z.array(z.string().min(1)).default([]),
  bootstrap: z.array(z.string().min(1)).default([]),
  /** Public bio and topics announced in the profile (public information only). */
  bio: z.string().max(2000).optional(),
  topics: z.array(z.string().min(1).max(100)).max(50).default([]),
  announceIntervalMs: z.number().int().min(1_000).default(10 * 60_000),
  profileTtlMs: z.number().int().min(10_000).max(24 * 3600_000).default(3600_000),
  requestTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /** 'relay': a machine with a public address that relays, bootstraps and serves the DHT. */
  role: z.enum(['personal', 'relay']).default('personal'),
  /** Public addresses to announce instead of the listen addresses (e.g. a relay's public IP). */
  announce: z.array(z.string().min(1)).default([]),
  /** 'probe': peers dial back to find out; 'private' / 'public' when the owner knows. */
  reachability: z.enum(['probe', 'public', 'private']).default('probe'),
  /** Ask the home router for a port mapping (UPnP / NAT-PMP). */
  upnp: z.boolean().default(false),
  /** Relay role: what each reservation and relayed connection gets. */
  relay: z.object({
    maxReservations: z.number().int().min(1).max(100_000).optional(),
    reservationTtlMs: z.number().int().min(10_000).optional(),
    durationLimitMs: z.number().int().min(1_000).optional(),
    dataLimitBytes: z.number().int().min(1024).optional()
  }).strict().default({}),
  rate: z.object({
    capacity: z.number().int().min(1).default(30),
    refillPerSecond: z.number().min(0.01).default(15)
  }).default({ capacity: 30, refillPerSecond: 15 })
})

export type NetConfig = z.infer<typeof NetConfigSchema>

export function parseNetConfig (section: unknown): NetConfig {
  const parsed = NetConfigSchema.safeParse(section ?? {})
  if (!parsed.success) throw new InputError('E_BAD_CONFIG', `config.json net.${describeIssue(parsed.error.issues[0])}`)
  return parsed.data
}
