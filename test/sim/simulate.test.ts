import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '../../src/sim/html.js'
import { simulate } from '../../src/sim/run.js'
import { parseScenario } from '../../src/sim/scenario.js'
import { expectResult } from '../helpers/ops.js'
import { REPO_ROOT, SHARED } from '../helpers/tmp.js'

const locomo = join(SHARED, 'data', 'locomo', 'dev.json')
const dataFile = existsSync(locomo) ? locomo : join(REPO_ROOT, 'scenarios', 'personas.json')

describe('a small real simulation (6 nodes, memory transport)', () => {
  it('discovers, shares in scope only, refuses out-of-scope, revoked and adversarial requests, leaks nothing', async () => {
    const scenario = parseScenario({
      version: 1,
      name: 'test',
      personas: { maxMemories: 20, generatedFacts: 8, topicsPerPersona: 3 },
      steps: [
        { do: 'discover', perNode: 1 },
        { do: 'introduce', pairs: 6 },
        { do: 'grant', approve: 1 },
        { do: 'query', perGrant: 1, outOfScope: 2 },
        { do: 'converse', conversations: 2, turns: 2 },
        { do: 'revoke', fraction: 0.5 },
        { do: 'adversarial', attacks: ['forged-grant', 'expired-grant', 'wrong-audience', 'revoked-grant', 'replayed-request', 'flood', 'malformed-frame', 'oversized-frame', 'unknown-version'], each: 1 }
      ]
    })
    const report = await simulate({ nodes: 6, seed: 'test', transport: 'memory', scenario, dataFile })
    expectResult('simulate', { report })
    const s = report.summary
    expect(s.nodes).toBe(6)
    expect(s.lookups.total).toBeGreaterThan(0)
    expect(s.lookups.successNoChurn).toBe(1)
    expect(s.checks['introductions granted']).toEqual({ passed: 6, total: 6 })
    const inScope = s.checks['in-scope answers']!
    expect(inScope.total).toBeGreaterThan(0)
    expect(inScope.passed).toBe(inScope.total)
    const probes = s.checks['out-of-scope refused']!
    expect(probes.passed).toBe(probes.total)
    expect(s.checks['revoked refused']!.passed).toBe(3)
    expect(s.checks['conversations answered']!.passed).toBe(s.checks['conversations answered']!.total)
    expect(new Set(report.attacks.map(a => a.attack)).size).toBe(9)
    for (const attack of report.attacks) expect({ attack: attack.attack, refused: attack.refused, disclosed: attack.disclosed }).toEqual({ attack: attack.attack, refused: true, disclosed: 0 })
    expect(s.leaks).toBe(0)
    expect(s.ok).toBe(true)

    const html = renderHtml(report)
    expect(html).toContain('<svg')
    expect(html).toContain('Leaks: 0')
    // Self-contained: no script, no external resource.
    expect(html).not.toMatch(/<script|src="http|href="http/)
  }, 180_000)
})
