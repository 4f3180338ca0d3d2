import { describe, expect, it } from 'vitest'
import { categoryOf, categoryValue } from '../../src/agent/autofill/categories.js'
import { fieldCandidates } from '../../src/agent/autofill/extract.js'
import type { FormField } from '../../src/agent/autofill/fields.js'
import type { ScopedMemory } from '../../src/agent/memory-access.js'

const field = (name: string, description?: string): FormField => ({ path: [name], type: 'string', ...(description === undefined ? {} : { description }) })
const memory = (id: string, text: string, speaker?: string): ScopedMemory => ({ id, text, source: 'note', visibility: 'private', topics: [], ...(speaker === undefined ? {} : { speaker }) })

describe('autofill field categories', () => {
  it('knows a field by its label and reads the value from a first-person phrase', () => {
    expect(categoryOf(field('occupation'))?.name).toBe('occupation')
    expect(categoryOf(field('date_of_birth'))?.name).toBe('birthday')
    expect(categoryOf(field('x', 'food allergies'))?.name).toBe('allergies')
    expect(categoryOf(field('favourite_dish'))).toBeUndefined()
    const job = categoryOf(field('job'))
    expect(job === undefined ? undefined : categoryValue(job, "I'm Alex, a marine biologist living in Lisbon.")).toBe('marine biologist')
    const born = categoryOf(field('birthday'))
    expect(born === undefined ? undefined : categoryValue(born, 'My birthday is on 14 March, so cake then!')).toBe('14 March')
  })

  it('fills an occupation from a memory that never says "occupation"', () => {
    const found = fieldCandidates(field('occupation'), '', [memory('m1', "I'm Alex, a marine biologist living in Lisbon.")], 'Alex')
    expect(found[0]).toEqual({ value: 'marine biologist', memoryId: 'm1' })
  })

  it('leaves a question field empty when the evidence only repeats the question ("the new team")', () => {
    const memories = [memory('m1', 'Congrats on the new team. Hope the season goes well!', 'Tim'), memory('m2', 'I joined a fantasy literature forum last night.', 'Tim')]
    expect(fieldCandidates(field('team', 'Which team did Tim sign with?'), '', memories, 'Tim')).toEqual([])
    expect(fieldCandidates(field('forum', 'What forum did Tim join recently?'), '', memories, 'Tim')[0]?.value).toBe('fantasy literature forum')
  })
})
