import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import type { z } from 'zod'
import { readConfig } from '../../src/config.js'
import { Identity } from '../../src/identity/index.js'
import { parseSealed, seal } from '../../src/identity/seal.js'
import { decodeProfile, encodeProfile, signProfile, type SignedProfile } from '../../src/net/profile.js'
import { converseSpec } from '../../src/net/protocols/converse.js'
import { handshakeSpec } from '../../src/net/protocols/handshake.js'
import { introSpec } from '../../src/net/protocols/intro.js'
import { memorySpec } from '../../src/net/protocols/memory.js'
import { decodeFrame, encodeFrame, signFrame, verifyFrame } from '../../src/net/wire/codec.js'
import { AuditAnchor } from '../../src/policy/audit-anchor.js'
import { encodeGrant, payloadOf, signGrant, type GrantToken } from '../../src/policy/grant.js'
import { canonicalBytes } from '../../src/identity/sign.js'
import { verifyGrant } from '../../src/policy/verify.js'
import { cleanPeerText, forTerminal } from '../../src/util/terminal.js'
import { SecondMe } from '../../src/node.js'
import { TEST_KDF } from '../helpers/tmp.js'
import { bytesFlipped } from './mutate.js'
import { ingestTarget, parserTargets } from './parsers.js'

// Every decoder and verifier that takes bytes from outside: a peer (frames, protocol bodies, grant
// tokens and chains, DHT profile records), a file (each parser, config, key file, audit anchor),
// or text on its way to a terminal. Inputs are random bytes and JSON, and valid samples with bytes
// flipped, fields replaced or characters changed. A target either accepts or rejects with a
// stable error code; anything else is a crash (see runner.ts).

export interface FuzzTarget {
  name: string
  input: fc.Arbitrary<unknown>
  /** Resolve (accepted, or a verifier's `false`) or throw a SecondMeError; anything else is a crash. */
  run: (input: unknown) => Promise<unknown>
  /**
   * For verifiers: judge an acceptance. A mutation may be accepted only if what it decodes to is
   * signed content identical to a valid original (an equivalent encoding: JSON whitespace, escapes,
   * unused base64 bits); a message says what changed. An accepted change of signed content is a
   * false accept and fails the run like a crash.
   */
  check?: (output: unknown) => string | undefined
  /** What a passed check means, for the report ("same signed content", "well-formed"). */
  checkLabel?: string
  /** At most this many cases however many are asked (a target whose case writes to disk). */
  maxCases?: number
  /** A case slower than this is a hang (default HANG_MS). */
  hangMs?: number
  /** Run once before the cases (a thread or module to start), so a cold start is not a hang. */
  warmup?: () => Promise<unknown>
}

const bytesOf = (v: unknown): Buffer => Buffer.from(canonicalBytes(v))

/** Same payload, same signature bytes, same parent chain: the same grant, however it was encoded. */
function sameGrant (a: GrantToken, b: GrantToken): boolean {
  if (!bytesOf(payloadOf(a)).equals(bytesOf(payloadOf(b)))) return false
  if (!Buffer.from(a.sig, 'base64url').equals(Buffer.from(b.sig, 'base64url'))) return false
  if (a.parent === undefined || b.parent === undefined) return a.parent === b.parent
  return sameGrant(a.parent, b.parent)
}

export function checkGrant (originals: GrantToken[]): (output: unknown) => string | undefined {
  return (output) => {
    const token = (output as { token?: GrantToken } | undefined)?.token
    if (token === undefined) return 'accepted without a token'
    return originals.some(o => sameGrant(token, o)) ? undefined : `accepted a grant whose signed content differs from every original: ${JSON.stringify(payloadOf(token)).slice(0, 200)}`
  }
}

export function checkProfile (original: SignedProfile): (output: unknown) => string | undefined {
  return (output) => {
    const signed = output as SignedProfile
    if (!bytesOf(signed.profile).equals(bytesOf(original.profile))) return `accepted a profile whose signed content differs: ${JSON.stringify(signed.profile).slice(0, 200)}`
    if (!Buffer.from(signed.signature, 'base64url').equals(Buffer.from(original.signature, 'base64url'))) return 'accepted a profile with other signature bytes'
    return undefined
  }
}

export interface FuzzWorld {
  dir: string
  owner: Identity
  peer: Identity
  /** A real home for the end-to-end ingest target, opened on first use. */
  home: () => Promise<SecondMe>
  close: () => Promise<void>
}

export async function makeWorld (dir: string): Promise<FuzzWorld> {
  let me: Promise<SecondMe> | undefined
  const home = async (): Promise<SecondMe> => await (me ??= SecondMe.init({ home: join(dir, 'home'), passphrase: 'fuzz passphrase', kdf: TEST_KDF, displayName: 'Robin Smith', memory: { embedder: null } }))
  return { dir, owner: await Identity.generate(), peer: await Identity.generate(), home, close: async () => { if (me !== undefined) await (await me).close() } }
}

const enc = new TextEncoder()

/** A valid sample with a few bytes flipped, or cut short, or random bytes, or random JSON text. */
function bytesAround (valid: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof({ weight: 2, arbitrary: bytesFlipped(valid) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) }, { weight: 1, arbitrary: fc.jsonValue().map(j => enc.encode(JSON.stringify(j) ?? 'null')) })
}

/** A valid object with one field replaced by any JSON value or removed. */
function objectsAround (valid: Array<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const replaced = fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.option(fc.jsonValue({ maxDepth: 3 }))).map(([v, i, x]) => {
    const keys = Object.keys(v)
    const key = keys[i % keys.length] ?? 'x'
    const out: Record<string, unknown> = { ...v }
    if (x === null) Reflect.deleteProperty(out, key)
    else out[key] = x
    return out
  })
  return fc.oneof(replaced, fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom(...Object.keys(valid[0] ?? {})), fc.jsonValue({ maxDepth: 2 })))
}

const utf8 = (b: unknown): string => Buffer.from(b as Uint8Array).toString('utf8')

export async function targets (world: FuzzWorld): Promise<FuzzTarget[]> {
  const { owner, peer } = world
  const created = Date.now()
  const request = { v: '1.0.0', t: 'req' as const, id: 'r1', kind: 'query', from: peer.id, created, expires: created + 60_000, nonce: 'n-0123456789abcdef', body: { query: 'hi', k: 5 } }
  const signed = await signFrame(peer.privateKey, request)
  const grant = await signGrant(owner.privateKey, owner.id, { aud: peer.id, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['sailing'] }, exp: created + 3_600_000 })
  const derived = await signGrant(peer.privateKey, peer.id, { aud: owner.id, actions: ['memory:read'], scope: { visibility: ['shareable'], topics: ['sailing'] }, exp: created + 600_000, parent: grant })
  const profile = await signProfile(owner.privateKey, { displayName: 'Ada', topics: ['sailing'], protocols: ['/secondme/memory/1.0.0'], addresses: ['/ip4/127.0.0.1/tcp/1'] }, 3_600_000)
  const sealed = await seal(enc.encode('{"identity":"x","dataKey":"y"}'), 'fuzz passphrase', { N: 2 ** 4, r: 1, p: 1 })
  const schemas: Array<[string, z.ZodType]> = []
  for (const spec of [handshakeSpec, memorySpec, converseSpec, introSpec]) {
    for (const [kind, k] of Object.entries(spec.kinds) as Array<[string, { request: z.ZodType, response: z.ZodType }]>) {
      schemas.push([`${spec.id}#${kind}.request`, k.request], [`${spec.id}#${kind}.response`, k.response])
    }
  }
  let fileNo = 0
  const fileOf = async (ext: string, bytes: Uint8Array): Promise<string> => {
    const path = join(world.dir, `f${fileNo++ % 64}${ext}`)
    await writeFile(path, bytes)
    return path
  }

  return [
    { name: 'wire frame codec', input: bytesAround([encodeFrame(request), encodeFrame(signed as never)]), run: async (b) => decodeFrame(b as Uint8Array) },
    {
      name: 'wire frame signature',
      input: objectsAround([signed as unknown as Record<string, unknown>]),
      run: async (f) => await verifyFrame(peer.id, (typeof f === 'object' && f !== null ? f : {}) as Parameters<typeof verifyFrame>[1])
    },
    {
      name: 'protocol schemas (every kind, request and response)',
      input: fc.tuple(fc.nat(schemas.length - 1), objectsAround([request.body, { grant, query: 'x', k: 3 }, { ticket: 't' }, { profile, protocols: [] }])),
      run: async (x) => {
        const [i, body] = x as [number, unknown]
        return schemas[i]?.[1].safeParse(body).success
      }
    },
    {
      name: 'grant tokens and chains (verify)',
      input: fc.oneof(
        objectsAround([grant, derived] as unknown as Array<Record<string, unknown>>),
        fc.tuple(fc.constantFrom(encodeGrant(grant), encodeGrant(derived)), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([s, i, c]) => s.slice(0, i % s.length) + c + s.slice(i % s.length + 1)),
        fc.string({ maxLength: 300 })
      ),
      run: async (t) => await verifyGrant(t, { owner: owner.id, presenter: peer.id, action: 'memory:read' }),
      check: checkGrant([grant, derived]),
      checkLabel: 'same signed content'
    },
    { name: 'DHT profile records', input: bytesAround([encodeProfile(profile)]), run: async (b) => await decodeProfile(b as Uint8Array, owner.id), check: checkProfile(profile), checkLabel: 'same signed content' },
    ...parserTargets(),
    ingestTarget(world.dir, world.home),
    { name: 'config file', input: bytesAround([enc.encode(JSON.stringify({ displayName: 'Ada', vault: { sync: true } }))]), run: async (b) => await readConfig(await fileOf('.config.json', b as Uint8Array)) },
    { name: 'sealed key file', input: bytesAround([enc.encode(JSON.stringify(sealed))]), run: async (b) => parseSealed(utf8(b), 'keyring.json') },
    {
      name: 'audit anchor file',
      input: bytesAround([enc.encode(JSON.stringify({ v: 1, peer: owner.id, seq: 3, hash: '0'.repeat(64), time: 1, sig: 'x' }))]),
      run: async (b) => await new AuditAnchor(await fileOf('.anchor', b as Uint8Array), owner).read()
    },
    {
      name: 'terminal text filters',
      input: fc.string({ unit: 'binary', maxLength: 300 }),
      run: async (s) => {
        const clean = cleanPeerText(s as string)
        const shown = forTerminal(s as string)
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(clean + shown)) throw new Error('a control character got through')
        return clean
      }
    }
  ]
}
