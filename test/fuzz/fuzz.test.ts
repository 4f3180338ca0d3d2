import { describe, expect, it } from 'vitest'
import { fuzzTarget } from './runner.js'
import { checkGrant, checkProfile, makeWorld, targets } from './targets.js'
import { signGrant } from '../../src/policy/grant.js'
import { signProfile } from '../../src/net/profile.js'
import { Identity } from '../../src/identity/index.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Owner, parseSource } from '../../src/memory/parsers/index.js'
import { parseSamples, PARSER_FORMATS } from './parsers.js'

// The short run (a few hundred cases per target, seconds); `npm run fuzz` runs 100,000 each.
describe('fuzz (short run)', () => {
  it('every decoder and verifier accepts or rejects with a stable code: no crash, no hang', async () => {
    await using dir = await tempDir()
    const world = await makeWorld(dir.path)
    try {
      const all = await targets(world)
      expect(all.length).toBeGreaterThanOrEqual(22)
      for (const target of all) {
        // A target whose cases write to a vault gets a few.
        const cases = target.maxCases === undefined ? 60 : 6
        const r = await fuzzTarget(target, cases, 17)
        expect({ name: r.name, crashes: r.crashes, hangs: r.hangs, falseAccepts: r.falseAccepts, failure: r.failure }).toEqual({ name: target.name, crashes: 0, hangs: 0, falseAccepts: 0, failure: undefined })
        expect(r.cases).toBe(cases)
      }
    } finally {
      await world.close()
    }
  }, 120_000)

  it('every file parser\'s samples parse to items, so the mutations around them start deep in the parser', async () => {
    const parsed = await parseSamples()
    expect(new Set(parsed.map(p => p.format)).size).toBe(PARSER_FORMATS.length)
    expect(parsed.filter(p => p.items === 0)).toEqual([])
  })

  it('a PDF that makes pdf.js leave a rejection unhandled is refused, and the process lives on', async () => {
    // Found by the fuzzer: a damaged page tree; pdf.js prefetches a kid and never awaits its failure.
    const broken = await readFile(join(REPO_ROOT, 'test/fixtures/sources/pdfjs-stray-rejection.pdf'))
    const unhandled: unknown[] = []
    const note = (r: unknown): void => { unhandled.push(r) }
    process.on('unhandledRejection', note)
    try {
      await expect(parseSource('pdf', { path: 'x.pdf', bytes: broken, mtime: new Date().toISOString(), owner: new Owner('x'), now: Date.now(), calendarDays: { past: 1, future: 1 } })).rejects.toMatchObject({ code: expect.stringMatching(/^E_(MALFORMED_FILE|NO_TEXT)$/) })
      await new Promise(resolve => setTimeout(resolve, 200))
    } finally {
      process.off('unhandledRejection', note)
    }
    expect(unhandled).toEqual([])
  })

  it('the acceptance checks tell an equivalent encoding from changed signed content', async () => {
    const owner = await Identity.generate()
    const peer = await Identity.generate()
    const scope = { visibility: ['shareable' as const] }
    const grant = await signGrant(owner.privateKey, owner.id, { aud: peer.id, actions: ['memory:read'], scope, exp: Date.now() + 60_000 })
    // Validly signed by the owner, but other content: had a mutation produced it, that is a false accept.
    const other = await signGrant(owner.privateKey, owner.id, { aud: peer.id, actions: ['memory:read', 'converse'], scope, exp: grant.exp })
    const check = checkGrant([grant])
    expect(check({ token: JSON.parse(JSON.stringify(grant)) })).toBeUndefined()
    expect(check({ token: other })).toMatch(/differs/)
    const profile = await signProfile(owner.privateKey, { topics: ['a'], protocols: [], addresses: [] }, 60_000)
    const changed = await signProfile(owner.privateKey, { topics: ['b'], protocols: [], addresses: [] }, 60_000)
    expect(checkProfile(profile)(JSON.parse(JSON.stringify(profile)))).toBeUndefined()
    expect(checkProfile(profile)(changed)).toMatch(/differs/)
  })
})
