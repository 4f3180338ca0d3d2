import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOp, type ParamsOf } from '../../src/ops.js'
import type { AutofillResult } from '../../src/agent/autofill/index.js'
import { isSecondMeError } from '../../src/errors.js'
import { terms } from '../../src/util/text.js'
import { STORIES } from '../model/models-path.js'
import { checkedCall } from '../helpers/ops.js'
import { testHome, type TestHome } from './home.js'

const FORM = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    address: { type: 'object', properties: { city: { type: 'string', description: 'the city where you live' } } },
    favourite_colour: { type: 'string', description: 'your favourite colour' },
    age: { type: 'integer', description: 'how old are you (years old)' },
    pet_name: { type: 'string', description: 'name of your pet' },
    tags: { type: 'array', items: { type: 'string' } }
  },
  required: ['name', 'pet_name']
}

let home: TestHome
beforeAll(async () => {
  home = await testHome('Ada Lovelace')
  const m = home.me.memory
  await m.addText('You can reach me at ada@example.org any time.', { visibility: 'shareable' })
  await m.addText('I live in Lisbon, close to the river.', { visibility: 'shareable' })
  await m.addText('My favourite colour is green, always has been.', { visibility: 'public' })
  await m.addText('I am 36 years old and still climbing.', { visibility: 'private' })
})
afterAll(async () => { await home[Symbol.asyncDispose]() })

async function fill (params: Omit<ParamsOf<'autofill'>, 'schema'>): Promise<AutofillResult> {
  return await checkedCall(home.me, 'autofill', { schema: FORM, ...params })
}

describe.sequential('autofill', () => {
  it('fills supported fields from memory without a model, lists the rest, never invents', async () => {
    const r = await fill({})
    expect(r.mode).toBe('extractive')
    expect(r.value).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.org', favourite_colour: 'green', age: 36 })
    expect((r.value.address as { city: string }).city).toContain('Lisbon')
    expect(r.value).not.toHaveProperty('pet_name')
    expect(r.empty).toEqual(expect.arrayContaining(['pet_name', 'tags']))
    expect(r.valid).toBe(true)
    expect(r.complete).toBe(false)
    expect(r.errors.join(' ')).toContain('pet_name')
    expect(r.filled.find(f => f.field === 'email')?.source).toMatch(/^m/)
  })

  it('uses only the visibilities the form may draw on', async () => {
    const r = await fill({ visibility: ['shareable', 'public'] })
    expect(r.value).not.toHaveProperty('age')
    expect(r.empty).toContain('age')
  })

  it('rejects a schema that is not a valid object schema with E_MALFORMED_FILE', async () => {
    for (const schema of [{ type: 'object', properties: { a: { type: 'bogus' } } }, { type: 'string' }, [1, 2]]) {
      const code = await runOp(home.me, 'autofill', { schema }).then(() => 'resolved', (err: unknown) => isSecondMeError(err) ? err.code : String(err))
      expect(code).toBe('E_MALFORMED_FILE')
    }
  })

  it('with a model: grammar-constrained JSON, every kept value grounded in a recalled memory', async () => {
    const model = await home.me.models.registry.add(STORIES)
    await home.me.models.registry.use(model.id)
    const r = await fill({})
    expect(r.mode).toBe('model')
    expect(r.valid).toBe(true)
    const memoryText = home.me.memory.list().map(i => i.text).join(' ')
    const memoryTerms = new Set(terms(memoryText))
    for (const f of r.filled) {
      if (f.source === 'profile') continue
      const valueTerms = terms(String(f.value))
      expect(valueTerms.filter(t => memoryTerms.has(t)).length / Math.max(1, valueTerms.length)).toBeGreaterThanOrEqual(0.6)
    }
    expect(r.value).not.toHaveProperty('pet_name')
    await home.me.models.registry.unuse()
  })
})
