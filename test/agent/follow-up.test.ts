import { describe, expect, it } from 'vitest'
import { isFollowUp, recallQueryFor } from '../../src/agent/follow-up.js'

describe('follow-up questions', () => {
  it('tells a question that leans on an earlier turn from one that names its subject', () => {
    expect(isFollowUp('And where does she live?')).toBe(true)
    expect(isFollowUp('When did you buy it?')).toBe(true)
    expect(isFollowUp('What about the wedding?')).toBe(true)
    expect(isFollowUp('Where does Ines live?')).toBe(false)
    expect(isFollowUp('What is my favourite book?')).toBe(false)
  })

  it('recalls a follow-up with the names of the previous question, or the whole question when it names no one', () => {
    expect(recallQueryFor('Where does she live?', [{ from: 'peer', text: 'Who is Ines?' }, { from: 'self', text: 'my sister' }])).toBe('Where does she live? Ines')
    expect(recallQueryFor('When did you buy it?', [{ from: 'peer', text: 'What car do you drive?' }])).toBe('When did you buy it? What car do you drive?')
    // The answer of the Second Me is not the asker's subject; a question with a name stands alone.
    expect(recallQueryFor('Where does she live?', [{ from: 'self', text: 'Ines is my sister' }])).toBe('Where does she live?')
    expect(recallQueryFor('Where does Tom live?', [{ from: 'peer', text: 'Who is Ines?' }])).toBe('Where does Tom live?')
  })
})
