// What a question asks for: its type (when, how long, who, yes/no …), the person it is about and the
// content words evidence must share with it. Pure wording analysis: no memory is read here.
import { terms } from '../../util/text.js'

export type QuestionKind = 'when' | 'duration' | 'ago' | 'count' | 'frequency' | 'who' | 'where' | 'yesno' | 'why' | 'how' | 'what'

export interface Question {
  text: string
  kind: QuestionKind
  /** Known people the question names (speakers of the evidence matched by full or first name). */
  people: string[]
  /** Content terms (stemmed), without the names of the people and without question words. */
  terms: string[]
  /** The answer may have several parts ("What activities …", "… and …?"): list them, comma-separated. */
  list: boolean
  /** The time the question names ("in May 2023", "on 16 June, 2023"): evidence said then fits. */
  during?: { from: number, to: number }
  /** Terms of the thing a what-question names ("What kind of music …" → music): the answer is a phrase ending in it. */
  heads: string[]
  /** The question asks for a name ("What is the name of …"): the answer is a proper name, not a noun phrase. */
  asksName: boolean
  /** A how-question asks what something was or felt like ("How did John describe the views?"): the answer is a quality. */
  describes: boolean
}

const KINDS: Array<[RegExp, QuestionKind]> = [
  [/^how long ago\b/i, 'ago'],
  [/^how long\b|^for how long\b|^since when\b/i, 'duration'],
  [/^how (many|much)\b|^what (number|amount)\b/i, 'count'],
  [/^how often\b|^how frequently\b/i, 'frequency'],
  [/^when\b|^(in )?what (year|month|date|day|time)\b|^which (year|month|day)\b|^on what date\b/i, 'when'],
  [/^who(m|se)?\b|^with whom\b/i, 'who'],
  [/^where\b|^(in )?(what|which) (city|country|state|town|place|part|location)\b/i, 'where'],
  [/^(is|are|was|were|do|does|did|has|have|had|can|could|would|will|should)\b/i, 'yesno'],
  [/^why\b|^what (made|motivated|inspired|prompted|led)\b/i, 'why'],
  [/^how\b/i, 'how']
]

// Words that say which kind of thing is asked, not what it is about ("What kind of books …").
const FRAME = new Set(['kind', 'type', 'sort', 'name', 'thing', 'sorts', 'types', 'kinds', 'names', 'things',
  'recent', 'recently', 'specific', 'particular', 'favorite', 'favourite', 'likely', 'probably'])

const PLURAL_ASK = /^(what|which)\s+(\w+\s+){0,2}(activities|books|things|events|hobbies|ways|places|items|types|kinds|sports|games|instruments|pets|animals|countries|cities|states|artists|bands|foods|dishes|songs|movies|shows|symbols|subjects|causes|gifts|paintings|names|projects|plans|changes|challenges|foods|classes|workshops)\b/i

// Any plural noun asked for right before the verb ("Which countries has James visited?", "What books did
// Tim read?"), beyond the listed ones: several things are asked for. ("…ss" and "news" are no plurals:
// "What class did …", "What news did … share?" asks for one thing.)
const PLURAL_HEAD = /^(?:what|which)\s+(?:\w+\s+){0,2}(?!news\b)\w+[^s\W]s\s+(?:have|has|did|does|do|are|were)\b/i

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December)'
const DAY_FIRST = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE},?\\s+((?:19|20)\\d{2})\\b`)
const MONTH_FIRST = new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})\\b`)
const MONTH_YEAR = new RegExp(`\\b${MONTH_RE},?\\s+((?:19|20)\\d{2})\\b`)
const YEAR = /\b(?:in|during|of)\s+((?:19|20)\d{2})\b/
const DAY = 86_400_000
// Said a week around the named day or inside the named month: "last weekend before April 10" still fits.
const SLACK = 8 * DAY

/** The time span a question names, widened by a week each side. */
function namedTime (q: string): { from: number, to: number } | undefined {
  const month = (name: string | undefined): number => MONTHS.indexOf((name ?? '').toLowerCase())
  const day = DAY_FIRST.exec(q)
  const mf = day === null ? MONTH_FIRST.exec(q) : null
  if (day !== null || mf !== null) {
    const t = day !== null ? Date.UTC(Number(day[3]), month(day[2]), Number(day[1])) : Date.UTC(Number(mf?.[3]), month(mf?.[1]), Number(mf?.[2]))
    return { from: t - SLACK, to: t + SLACK }
  }
  const my = MONTH_YEAR.exec(q)
  if (my !== null) return { from: Date.UTC(Number(my[2]), month(my[1]), 1) - SLACK, to: Date.UTC(Number(my[2]), month(my[1]) + 1, 1) + SLACK }
  const y = YEAR.exec(q)
  if (y !== null) return { from: Date.UTC(Number(y[1]), 0, 1), to: Date.UTC(Number(y[1]) + 1, 0, 1) }
  return undefined
}

// Time words place the question in time; they are matched against when a memory was said, not its words.
const TIME_WORDS = new Set(terms(`last recent recently weekend week month year yesterday today before after ago ${MONTHS.join(' ')}`))

/** Speakers named in the question by full name or first name (case-sensitive word match). */
export function namedPeople (question: string, known: Iterable<string>): string[] {
  const words = new Set(question.match(/[\p{L}\p{N}]+/gu) ?? [])
  const out: string[] = []
  for (const name of known) {
    const first = name.split(/\s+/)[0] ?? name
    // "Mel" for "Melanie": LoCoMo and real chats shorten names; accept a 3+ letter capitalised prefix.
    const short = [...words].some(w => w.length >= 3 && /^\p{Lu}/u.test(w) && first.startsWith(w) && w !== first)
    if (words.has(first) || question.includes(name) || short) out.push(name)
  }
  return out
}

// Words that open a sentence which asks or requests something ("Tell me …", "Could you …").
const ASKING = /^(?:what|when|where|who|whom|whose|which|why|how|is|are|was|were|do|does|did|has|have|had|can|could|would|will|should|shall|may|tell|describe|explain|list|name|give|show|share|say|please)\b/i

/** True when a sentence asks something: it ends with a question mark or opens with a question or request word. */
export function asksSomething (sentence: string): boolean {
  const s = sentence.trim()
  return s.endsWith('?') || ASKING.test(s)
}

// "What kind of music does …", "Which yoga activity has …": the words between the question word and the verb.
const WHAT_PHRASE = /^(?:what|which)\s+(?:(?:kind|kinds|type|types|sort|sorts)\s+of\s+)?((?:[\p{L}'’-]+\s+){1,3}?)(?:is|are|was|were|do|does|did|has|have|had|can|could|would|will|should)\b/iu

/** The stemmed terms of the thing a what-question names, without frame words and names. */
function headTerms (q: string, skip: ReadonlySet<string>): string[] {
  const phrase = WHAT_PHRASE.exec(q)?.[1]
  return phrase === undefined ? [] : terms(phrase).filter(t => !skip.has(t) && !FRAME.has(t))
}

// "How did X feel …", "How does X describe …", "How was X's trip?": asks for a quality, not a way of doing.
const DESCRIBES = /^how\s+(?:(?:did|does|do)\b.*\b(?:feel|felt|describe)\b|(?:was|is|were|are)\b)/i

export function parseQuestion (text: string, known: Iterable<string> = []): Question {
  const q = text.trim()
  const kind = KINDS.find(([re]) => re.test(q))?.[1] ?? 'what'
  const people = namedPeople(q, known)
  const nameTerms = new Set(people.flatMap(p => terms(p)))
  for (const w of q.match(/\b\p{Lu}\p{Ll}{2,}\b/gu) ?? []) if (people.some(p => p.startsWith(w))) nameTerms.add(terms(w)[0] ?? '')
  const during = namedTime(q)
  const timeless = during === undefined ? q : q.replace(DAY_FIRST, ' ').replace(MONTH_FIRST, ' ').replace(MONTH_YEAR, ' ').replace(YEAR, ' ')
  const content = terms(timeless).filter(t => !nameTerms.has(t) && !FRAME.has(t) && !TIME_WORDS.has(t))
  const list = PLURAL_ASK.test(q) || PLURAL_HEAD.test(q) || (kind !== 'yesno' && /\b(both|all the|and what|which .* and)\b/i.test(q))
  const heads = kind === 'what' ? headTerms(q, nameTerms) : []
  return { text: q, kind, people, heads, terms: [...new Set(content.length > 0 ? content : terms(q).filter(t => !nameTerms.has(t)))], list, asksName: /\bnames?\b/i.test(q), describes: kind === 'how' && DESCRIBES.test(q), ...(during === undefined ? {} : { during }) }
}
