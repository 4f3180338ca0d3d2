import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SecondMeError } from '../../src/errors.js'
import { buildPersonas, CANARY_PATTERN } from '../../src/sim/personas.js'
import { buildPlan } from '../../src/sim/plan.js'
import { Rng } from '../../src/sim/prng.js'
import { defaultScenarioPath } from '../../src/sim/files.js'
import { loadScenario, parseScenario } from '../../src/sim/scenario.js'
import { planSimulation } from '../../src/sim/run.js'
import { REPO_ROOT, tempDir } from '../helpers/tmp.js'

const personaFile = join(REPO_ROOT, 'scenarios', 'personas.json')

describe('seeded decisions', () => {
  it('the same seed draws the same numbers, another seed others', () => {
    const draw = (seed: string): number[] => { const r = new Rng(seed); return Array.from({ length: 20 }, () => r.int(0, 1_000_000)) }
    expect(draw('a')).toEqual(draw('a'))
    expect(draw('a')).not.toEqual(draw('b'))
    const r = new Rng('x')
    expect(r.fork('one').next()).toBe(new Rng('x').fork('one').next())
  })

  it('the same seed and scenario give the same plan and personas; another seed a different plan', async () => {
    const scenario = await loadScenario(defaultScenarioPath())
    const a = await planSimulation({ nodes: 30, seed: 's1', scenario, dataFile: personaFile })
    const b = await planSimulation({ nodes: 30, seed: 's1', scenario, dataFile: personaFile })
    const c = await planSimulation({ nodes: 30, seed: 's2', scenario, dataFile: personaFile })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(JSON.stringify(a.plan.steps)).not.toBe(JSON.stringify(c.plan.steps))
    expect(a.plan.steps.map(s => s.do)).toEqual(scenario.steps.map(s => s.do))
  })

  it('plans only sensible decisions: no self-introductions, churn never stops the bootstrap node', async () => {
    const scenario = parseScenario({ version: 1, name: 't', steps: [{ do: 'introduce', pairs: 50 }, { do: 'churn', percent: 20 }] })
    const personas = await buildPersonas(20, new Rng('p'), { ...scenario.personas })
    const plan = buildPlan(scenario, personas, new Rng('q'))
    expect(plan.pairs).toHaveLength(50)
    for (const p of plan.pairs) {
      expect(p.asker).not.toBe(p.target)
      expect(personas[p.target]!.topics).toContain(p.topic)
    }
    const churn = plan.steps[1]
    expect(churn?.do === 'churn' && churn.stop.length === 4 && !churn.stop.includes(0)).toBe(true)
  })
})

describe('personas', () => {
  it('gives every persona one unique canary, planted only in a private memory', async () => {
    const personas = await buildPersonas(15, new Rng('c'), { maxMemories: 40, generatedFacts: 8, topicsPerPersona: 3, dataFile: personaFile })
    expect(new Set(personas.map(p => p.canary)).size).toBe(15)
    expect(personas.some(p => p.origin === 'locomo') && personas.some(p => p.origin === 'generated')).toBe(true)
    for (const p of personas) {
      const holders = p.memories.filter(m => m.text.includes(p.canary))
      expect(holders).toHaveLength(1)
      expect(holders[0]!.visibility).toBe('private')
      expect(`${p.bio} ${p.topics.join(' ')}`.match(CANARY_PATTERN)).toBeNull()
      expect(p.topics.length).toBeGreaterThan(0)
      // Memory keeps one item per text, so the ground truth needs distinct texts.
      expect(new Set(p.memories.map(m => m.text)).size).toBe(p.memories.length)
    }
  })
})

describe('scenario files', () => {
  it('the shipped default scenario is valid', async () => {
    const scenario = await loadScenario(defaultScenarioPath())
    expect(scenario.steps.length).toBeGreaterThan(5)
  })

  it('refuses a bad file with a clear error and a stable code', async () => {
    await using dir = await tempDir()
    const bad = join(dir.path, 'bad.json')
    await writeFile(bad, JSON.stringify({ version: 1, name: 'x', steps: [{ do: 'churn', percent: 90 }] }))
    const err = await loadScenario(bad).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SecondMeError)
    expect((err as SecondMeError).code).toBe('E_MALFORMED_FILE')
    expect((err as SecondMeError).message).toMatch(/steps\.0\.percent/)

    await writeFile(bad, '{ not json')
    expect(((await loadScenario(bad).catch((e: unknown) => e)) as SecondMeError).code).toBe('E_MALFORMED_FILE')
    await writeFile(bad, JSON.stringify({ version: 1, name: 'x', steps: [{ do: 'teleport' }] }))
    expect(((await loadScenario(bad).catch((e: unknown) => e)) as SecondMeError).message).toMatch(/steps\.0/)
    expect(((await loadScenario(join(dir.path, 'missing.json')).catch((e: unknown) => e)) as SecondMeError).code).toBe('E_FILE_NOT_FOUND')
  })
})
