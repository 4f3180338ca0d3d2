import { describe, expect, it } from 'vitest'
import { answerFrom } from '../../src/agent/answer/index.js'
import { causeOf, qualityOf } from '../../src/agent/answer/clauses.js'
import { parseQuestion } from '../../src/agent/answer/question.js'
import type { AgentMemory } from '../../src/agent/types.js'

const AUG = '2023-08-10T10:00:00.000Z'
const turns: AgentMemory[] = [
  { id: 'j1', speaker: 'John', time: AUG, text: 'My wife and I were road tripping out on the European coastline. The views were spectacular, and we had lots of fun.' },
  { id: 'j2', speaker: 'John', time: AUG, text: 'Yes, two days ago I signed up for a cooking class. I never liked cooking, but I felt that I wanted to learn something new.' },
  { id: 'm1', speaker: 'Maria', time: AUG, text: 'I volunteered at the shelter last week and it was great.' }
]

describe('answers that are a clause: a reason, a quality', () => {
  it('finds the reason a sentence gives', () => {
    expect(causeOf('I chose them \'cause they help LGBTQ+ folks with adoption.')).toBe('they help LGBTQ+ folks with adoption')
    expect(causeOf('I never liked cooking, but I felt that I wanted to learn something new.')).toBe('to learn something new')
    expect(causeOf('We went hiking on Sunday.')).toBeUndefined()
  })

  it('finds what a sentence says something was or felt like, without what happened next', () => {
    expect(qualityOf('They were awestruck and humbled.')).toBe('awestruck and humbled')
    expect(qualityOf('It was a really peaceful and awesome experience.')).toBe('peaceful and awesome experience')
    expect(qualityOf('Our team bond is awesome and it makes all the hard work worth it.')).toBe('awesome')
    expect(qualityOf('It was so amazing lying there.')).toBe('amazing')
    expect(qualityOf('We hiked and swam.')).toBeUndefined()
  })

  it('tells a how-question asking for a quality from one asking for a way', () => {
    expect(parseQuestion('How did John describe the views?').describes).toBe(true)
    expect(parseQuestion('How was John\'s experience in New York City?').describes).toBe(true)
    expect(parseQuestion('How did John get into basketball?').describes).toBe(false)
  })

  it('answers why with the reason and how-was with the quality', () => {
    expect(answerFrom('Why did John sign up for a cooking class?', turns).answer).toBe('to learn something new')
    expect(answerFrom('How did John describe the views during the road trip on the European coastline?', turns).answer).toBe('spectacular')
  })
})

describe('phrases without their lead-in words or the conversation partner', () => {
  const more: AgentMemory[] = [
    { id: 'g1', speaker: 'John', time: AUG, text: 'I\'m hooked on this great game called FIFA 23.' },
    { id: 'g2', speaker: 'John', time: AUG, text: 'Thanks, Maria! Yep, we worked with a local organization that helps victims of domestic abuse.' },
    { id: 'g3', speaker: 'Maria', time: AUG, text: 'That is so kind of you, John.' }
  ]
  it('drops words that only lead up to the phrase', () => {
    expect(answerFrom('What game is John hooked on?', more).answer).toBe('FIFA 23')
  })
  it('never answers who with a speaker of the conversation', () => {
    expect(answerFrom('Who did John work with to help victims of domestic abuse?', more).answer).toMatch(/local organization/)
  })
})

describe('a photo caption shows what a question about a painting or a photo asks for', () => {
  const shared: AgentMemory[] = [
    { id: 'p1', speaker: 'John', time: AUG, text: 'I have a painting in my room to remind me to stay true and be a leader in everything I do.', extra: '[shares a photo: a photo of a painting of a man with a sword]' },
    { id: 'p2', speaker: 'John', time: AUG, text: 'It keeps me going on hard days.' },
    { id: 'p3', speaker: 'John', time: AUG, text: 'Training starts again next week.' },
    { id: 'p4', speaker: 'John', time: AUG, text: 'We won the game last night.' },
    { id: 'p5', speaker: 'John', time: AUG, text: 'My team is doing great.' }
  ]
  it('answers from the caption of the photo shared with the sentence', () => {
    expect(answerFrom('What kind of painting does John have in his room as a reminder?', shared).answer).toBe('painting of a man')
  })
})
