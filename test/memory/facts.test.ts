import { describe, expect, it } from 'vitest'
import { candidates, extractFacts } from '../../src/memory/facts/extract.js'
import { concise } from '../../src/memory/facts/clauses.js'
import { toThirdPerson } from '../../src/memory/facts/person.js'
import type { FactSource } from '../../src/memory/facts/types.js'
import { PUBLIC_SCOPE } from '../../src/scope.js'
import { freshNode, writeJson } from './helpers.js'

const turns = (list: Array<[string, string]>): FactSource[] => list.map(([speaker, text], seq) => ({ id: `i${seq}`, ref: `D1:${seq + 1}`, speaker, text, thread: 's1', seq, time: '2023-05-08T13:56:00.000Z', visibility: 'private' }))

describe('fact extraction', () => {
  it('turns first-person statements into third-person facts about the speaker and drops small talk', () => {
    const facts = extractFacts(turns([
      ['Melanie', 'Hey Caroline! Good to see you! How have you been?'],
      ['Caroline', 'Hey Mel! I went to a LGBTQ support group yesterday and it was so powerful.'],
      ['Melanie', 'Wow, that sounds great! What happened there?'],
      ['Caroline', 'The transgender stories were so inspiring! I was so happy and thankful for all the support.'],
      ['Melanie', 'Thanks, Caroline! I painted that lake sunrise last year. Painting is how I relax after a long day with my kids.']
    ]))
    const texts = facts.map(f => f.text)
    expect(texts).toContain('Caroline went to a LGBTQ support group on 7 May 2023 and it was powerful.')
    expect(texts.some(t => t.startsWith('Melanie painted that lake sunrise in 2022'))).toBe(true)
    expect(texts.join(' ')).not.toMatch(/\b(I|my|me)\b/)
    // The time of a fact is the day it happened when the text says so ("yesterday").
    expect(facts.find(f => f.text.startsWith('Caroline went'))?.time).toBe('2023-05-07T00:00:00.000Z')
    // Greetings and questions give nothing.
    expect(facts.map(f => f.refs[0])).not.toContain('D1:1')
    expect(facts.map(f => f.refs[0])).not.toContain('D1:3')
    for (const f of facts) {
      expect(f.sources).toHaveLength(1)
      expect(f.visibility).toBe('private')
      expect(f.said).toBe('2023-05-08T13:56:00.000Z')
    }
  })

  it('attributes a fact that does not name its person', () => {
    const facts = extractFacts(turns([['Caroline', 'Researching adoption agencies, it has been a dream to have a family.']]), {}, { weights: [10], threshold: 0, maxPerTurn: 1 })
    expect(facts.map(f => f.text)).toEqual(['Caroline: Researching adoption agencies, it has been a dream to have a family.'])
  })

  it('leaves out openers that only announce news ("So much has happened since we last spoke")', () => {
    const facts = extractFacts(turns([['Caroline', 'So much has happened since we last spoke! I adopted a puppy named Max last week.']]), {}, { weights: [10], threshold: 0, maxPerTurn: 1 })
    expect(facts.map(f => f.text)).toEqual(['Caroline adopted a puppy named Max in the week before 8 May 2023.'])
  })

  it('keeps the news and drops catching-up openers, hedges and add-ons around it', () => {
    const one = (text: string): string[] => extractFacts(turns([['John', text]]), {}, { weights: [10], threshold: 0, maxPerTurn: 1 }).map(f => f.text)
    expect(one("It's been a few days since we talked. I joined a chess club, too.")).toEqual(['John joined a chess club.'])
    expect(one('Since our last chat, I have even started blogging about politics.')).toEqual(['John has started blogging about politics.'])
    // "you know" that is the verb stays ("let you know"), the aside goes.
    expect(one('I wanted to let you know I joined a travel club.')).toEqual(['John wanted to let you know he joined a travel club.'])
    expect(one('Running is, you know, my way to relax.')).toEqual(["Running is John's way to relax."])
    // "since" that is part of the news stays.
    expect(one("I've been running longer since we talked about it.")).toEqual(['John has been running longer since we talked about it.'])
  })

  it('keeps the news of a long turn and leaves out the comments that follow it', () => {
    const one = (text: string): string => extractFacts(turns([['Melanie', 'Hi!'], ['Caroline', text]]), {}, { weights: [10], threshold: 0, maxPerTurn: 1 }).map(f => f.text).join(' | ')
    expect(one("I went to an LGBTQ conference two days ago. I got to meet people who've gone through similar journeys. It was such a welcoming environment!"))
      .toBe("Caroline went to an LGBTQ conference on 6 May 2023; she got to meet people who've gone through similar journeys.")
    expect(concise('Caroline adopted a puppy.', 'Caroline')).toBe('Caroline adopted a puppy.')
    // The first sentence always stays, even when the model would drop it.
    expect(concise('It was great; it was fun', 'Caroline', 'Melanie', { weights: [-10], threshold: 0.5 })).toBe('It was great.')
  })

  it('resolves pronouns: the first mention is the name, later ones pronouns; "you" is the other person', () => {
    expect(toThirdPerson('The group made me feel accepted and gave me courage to embrace myself', 'Caroline')).toBe('The group made Caroline feel accepted and gave her courage to embrace herself')
    expect(toThirdPerson("I'm so proud of you and your kids", 'John', 'Maria')).toBe("John is so proud of Maria and Maria's kids")
    expect(toThirdPerson('Gonna continue my studies', 'Caroline')).toBe("Caroline is gonna continue her studies")
    // the verb after "I" agrees with the name, whichever verb it is; past forms stay as they are
    expect(toThirdPerson("I stay positive and I don't give up", 'John')).toBe("John stays positive and he doesn't give up")
    expect(toThirdPerson('I kinda care about it but I read it yesterday', 'John')).toBe('John kinda cares about it but he read it yesterday')
    expect(toThirdPerson('I wanna adopt and I carry my camera', 'Maria')).toBe('Maria wants to adopt and she carries her camera')
  })

  it('names the person spoken to from the nearest other speaker, in threads of any length', () => {
    const list = turns([
      ['Ana', 'I told you about my sister, she moved to Lisbon last month.'],
      ['Ana', 'I am so proud of you and your new job at the hospital, it suits you.'],
      ['Ben', 'I adopted a greyhound last week and I love walking him by the river.'],
      ['Cleo', 'I think your greyhound is lucky, you walk him by the river every day.']
    ])
    const other = new Map(candidates(list).map(c => [c.source.ref, c.other]))
    expect([...other.values()]).toEqual(['Ben', 'Ben', 'Ana', 'Ben'])
    // A long thread of one speaker (notes) has no one spoken to, and extracts in one pass.
    const notes = Array.from({ length: 20000 }, (_, seq): FactSource => ({ id: `n${seq}`, speaker: 'me', text: `I walked ${seq} km by the river in Lisbon yesterday.`, thread: 'notes', seq, visibility: 'private' }))
    const owned = extractFacts(notes, { owner: 'Ana' })
    expect(owned.length).toBeGreaterThan(0)
    expect(owned.every(f => f.person === 'Ana' && !/\byou\b/.test(f.text))).toBe(true)
  })
})

describe('facts in memory', () => {
  it('extracts facts at ingest, lists them by person and category, follows visibility and forgetting', async () => {
    await using node = await freshNode({ embedder: null })
    const m = node.me.memory
    const file = await writeJson(node.dir, 'conv.json', [{
      sample_id: 'c1',
      conversation: {
        speaker_a: 'Ana', speaker_b: 'Ben', session_1_date_time: '1:56 pm on 8 May, 2023',
        session_1: [
          { speaker: 'Ana', dia_id: 'D1:1', text: 'Hi Ben! How are you?' },
          { speaker: 'Ben', dia_id: 'D1:2', text: 'Hey Ana! I adopted a greyhound called Pixel last week and my kids love him.' },
          { speaker: 'Ana', dia_id: 'D1:3', text: 'I started a new job as a nurse at the city hospital last month.' }
        ]
      }
    }])
    await m.ingest([file])
    const ben = m.facts({ about: 'ben' })
    expect(ben.map(f => f.text)).toEqual(['Ben adopted a greyhound called Pixel in the week before 8 May 2023 and his kids love him.'])
    expect(ben[0]?.refs).toEqual(['D1:2'])
    expect(m.facts({ about: 'Ana' }).map(f => f.refs[0])).toEqual(['D1:3'])
    expect(m.facts({ scope: PUBLIC_SCOPE })).toEqual([])
    const source = ben[0]?.sources[0] ?? ''
    await m.setVisibility(source, 'public')
    expect(m.facts({ scope: PUBLIC_SCOPE }).map(f => f.id)).toEqual([ben[0]?.id])
    expect((await m.rebuildFacts()).facts).toBe(m.facts().length)
    expect(m.facts({ scope: PUBLIC_SCOPE })).toHaveLength(1)
    await m.forget(source)
    expect(m.facts({ about: 'Ben' })).toEqual([])
  })
})
