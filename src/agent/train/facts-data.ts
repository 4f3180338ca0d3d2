// L2 training pairs from L1 facts: a specific question per fact (by category, about the fact's own
// subject: "What are Caroline's plans for adoption?"), the fact as the grounded answer in the owner's
// voice (citing the fact id), and DPO pairs whose rejected answer is a realistic failure built from
// other facts: another person's fact, a wrong date, a swapped entity, or an unsupported addition.
import { terms } from '../../util/text.js'
import type { Fact, FactCategory } from '../../memory/facts/types.js'
import type { Visibility } from '../../scope.js'

export interface FactPair {
  question: string
  answer: string
  rejected: string
  failure: 'other-person' | 'wrong-date' | 'swapped-entity' | 'unsupported'
  factIds: string[]
  visibility: Visibility
}

const TEMPLATES: Record<FactCategory, string[]> = {
  identity: ['What should I know about {P} and {K}?', 'How does {P} describe {K}?'],
  work: ['What does {P} do when it comes to {K}?', 'What has {P} said about work and {K}?'],
  relationships: ['What does {P} say about {K} and the people close to {P}?', 'Who matters to {P} when it comes to {K}?'],
  places: ['What does {P} say about {K}?', 'Where has {P} been in connection with {K}?'],
  hobbies: ['What does {P} enjoy about {K}?', 'How does {P} spend time on {K}?'],
  health: ['How is {P} doing with {K}?', 'What has {P} said about {K} and health?'],
  plans: ['What is {P} planning around {K}?', 'What are {P}\'s plans for {K}?'],
  events: ['What happened with {P} and {K}?', 'What did {P} do with {K}?'],
  possessions: ['What is special about {P}\'s {K}?', 'What does {P} have that relates to {K}?'],
  opinions: ['What does {P} think about {K}?', 'How does {P} feel about {K}?'],
  other: ['What has {P} said about {K}?', 'What does {P} mention about {K}?']
}

// Words that make a poor subject for a question ("What does Caroline think about great?").
const WEAK = new Set(['great', 'good', 'nice', 'love', 'lot', 'thing', 'time', 'day', 'way', 'week', 'year', 'month', 'today', 'yesterday',
  'last', 'next', 'really', 'awesome', 'amazing', 'fun', 'happy', 'glad', 'special', 'cool', 'feel', 'felt', 'make', 'made', 'help', 'want',
  'thank', 'thanks', 'sure', 'pic', 'photo', 'share', 'shares', 'wow', 'hey', 'bit', 'kind', 'lot', 'new', 'big', 'also', 'since', 'chat', 'chatted',
  'ourselves', 'yourself', 'myself', 'keen', 'turn', 'continue', 'given', 'thrilled', 'excited', 'proud', 'grateful', 'sounds', 'lately', 'always',
  'other', 'every', 'something', 'anything', 'everything', 'someone', 'people', 'things', 'stuff', 'gonna', 'wanna', 'about', 'there', 'their',
  'would', 'could', 'should', 'really', 'still', 'much', 'many', 'more', 'most', 'some', 'being', 'doing', 'going', 'taking', 'getting', 'best', 'hard', 'tough'])

const hash = (s: string): number => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)

const NOUN_AFTER = /\b(?:a|an|the|my|her|his|their|our|this|that|these|those|some|new|own)\s+(?:[a-z-]+\s+)?([a-z][a-z-]{3,})\b/g

const word = (w: string): boolean => !WEAK.has(w) && !/(ed|ing|ly|ful|ous|ive)$/.test(w) && terms(w).length > 0

/**
 * Candidate question subjects of a fact, most specific first: names, then nouns (words after an
 * article or possessive), rarest first, then other rare content words.
 */
function keywords (fact: Fact, df: Map<string, number>): string[] {
  const person = new Set(terms(fact.person))
  const rarest = (list: string[]): string[] => [...new Set(list)].filter(w => word(w) && !person.has(terms(w)[0] ?? ''))
    .sort((a, b) => (df.get(terms(a)[0] ?? '') ?? 0) - (df.get(terms(b)[0] ?? '') ?? 0))
  const names = (fact.text.match(/(?<=\s)\p{Lu}[\p{L}+'-]+(?:\s+\p{Lu}[\p{L}'-]+)*/gu) ?? []).filter(n => !n.startsWith(fact.person) && !/^(I|I'm|It|This|That|The|Also|But)$/.test(n))
  const lower = fact.text.toLowerCase()
  const nouns = rarest([...lower.matchAll(NOUN_AFTER)].map(m => m[1] ?? ''))
  const rest = rarest(lower.match(/[\p{L}][\p{L}'-]{4,}/gu) ?? [])
  return [...new Set([...names, ...nouns, ...rest])]
}

/** The fact in the owner's voice: "Caroline's necklace …" → "My necklace …" (the fact's own person only). */
export function firstPerson (text: string, person: string): string {
  const p = person.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return text
    .replace(new RegExp(`^${p}['’]s\\b`), 'My')
    .replace(new RegExp(`\\b${p}['’]s\\b`, 'g'), 'my')
    .replace(new RegExp(`\\b(to|with|for|about|of|from|at|by|thank|reminds|helps|helped|gave|give|told|makes|made|make|let|lets) ${p}\\b`, 'g'), '$1 me')
    .replace(new RegExp(`^${p}\\b`), 'I')
    .replace(new RegExp(`\\b${p}\\b`, 'g'), 'I')
    .replace(/\b(she|he)\b/g, 'I').replace(/\b(herself|himself)\b/g, 'myself')
    .replace(/\bI is\b/g, 'I am').replace(/\bI has\b/g, 'I have').replace(/\bI does\b/g, 'I do').replace(/\bI'?s\b/g, 'I am')
    .replace(/\bI (?!was\b)([a-z]+[^s'])s\b/g, 'I $1')
}

const RELATIVE_SWAP = ['yesterday', 'last week', 'last month', 'last year', 'two weeks ago', 'last weekend']
const RELATIVE = new RegExp(`\\b(${RELATIVE_SWAP.join('|')})\\b`, 'i')
const YEAR = /\b(19|20)\d{2}\b/
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const MONTH = new RegExp(`\\b(${MONTHS.join('|')})\\b`)

/** A realistic wrong answer for `fact`, from the other facts; which kind rotates with the fact. */
function rejectedFor (fact: Fact, chosen: string, others: readonly Fact[], n: number): Pick<FactPair, 'rejected' | 'failure'> | undefined {
  const elsewhere = others.filter(o => o.person !== fact.person)
  const sameKind = elsewhere.filter(o => o.category === fact.category)
  const entities = [...new Set(others.flatMap(o => o.text.match(/(?<=\s)\p{Lu}\p{Ll}{2,}\b/gu) ?? []))].filter(e => e !== fact.person && !fact.text.includes(e))
  const attempts: Array<() => Pick<FactPair, 'rejected' | 'failure'> | undefined> = [
    () => {
      const other = sameKind[n % Math.max(1, sameKind.length)] ?? elsewhere[n % Math.max(1, elsewhere.length)]
      return other === undefined ? undefined : { rejected: firstPerson(other.text, other.person), failure: 'other-person' }
    },
    () => {
      const year = YEAR.exec(chosen)?.[0]
      if (year !== undefined) return { rejected: chosen.replace(year, String(Number(year) - 1 - (n % 3))), failure: 'wrong-date' }
      const relative = RELATIVE.exec(chosen)?.[0]
      if (relative !== undefined) return { rejected: chosen.replace(relative, RELATIVE_SWAP[(RELATIVE_SWAP.indexOf(relative.toLowerCase()) + 1 + (n % 3)) % RELATIVE_SWAP.length] ?? 'last year'), failure: 'wrong-date' }
      const month = MONTH.exec(chosen)?.[0]
      return month === undefined ? undefined : { rejected: chosen.replace(month, MONTHS[(MONTHS.indexOf(month) + 1 + (n % 10)) % 12] ?? 'June'), failure: 'wrong-date' }
    },
    () => {
      const own = (chosen.match(/(?<=\s)\p{Lu}\p{Ll}{2,}\b/gu) ?? []).filter(e => e !== 'I')[0]
      const swap = entities[n % Math.max(1, entities.length)]
      return own === undefined || swap === undefined ? undefined : { rejected: chosen.replace(own, swap), failure: 'swapped-entity' }
    },
    () => {
      const other = elsewhere[(n * 7 + 3) % Math.max(1, elsewhere.length)]
      return other === undefined ? undefined : { rejected: `${chosen.replace(/[.!]?$/, '.')} Also, ${firstPerson(other.text, other.person).replace(/^I\b/, 'I')}`, failure: 'unsupported' }
    }
  ]
  for (let i = 0; i < attempts.length; i++) {
    const r = attempts[(n + i) % attempts.length]?.()
    if (r !== undefined && r.rejected !== chosen) return r
  }
  return undefined
}

/**
 * One question, grounded answer and realistic rejected answer per fact about `people` (all facts'
 * people when empty), prompts kept distinct: a fact whose every question is taken is skipped.
 */
export function factPairs (facts: readonly Fact[], people: readonly string[]): FactPair[] {
  const df = new Map<string, number>()
  for (const f of facts) for (const t of new Set(terms(f.text))) df.set(t, (df.get(t) ?? 0) + 1)
  const about = facts.filter(f => people.length === 0 || people.includes(f.person))
  const asked = new Set<string>()
  const answered = new Set<string>()
  const out: FactPair[] = []
  about.forEach((fact, n) => {
    const answer = firstPerson(fact.text, fact.person)
    if (answered.has(answer.toLowerCase()) || terms(fact.text).length < 3) return
    const templates = TEMPLATES[fact.category]
    let question: string | undefined
    for (const k of keywords(fact, df).slice(0, 6)) {
      for (let t = 0; t < templates.length && question === undefined; t++) {
        const q = (templates[(hash(fact.id) + t) % templates.length] ?? '').replaceAll('{P}', fact.person).replaceAll('{K}', k)
        if (!asked.has(q.toLowerCase())) question = q
      }
      if (question !== undefined) break
    }
    const wrong = rejectedFor(fact, answer, facts, n)
    if (question === undefined || wrong === undefined) return
    asked.add(question.toLowerCase())
    answered.add(answer.toLowerCase())
    out.push({ question, answer, ...wrong, factIds: [fact.id], visibility: fact.visibility })
  })
  return out
}
