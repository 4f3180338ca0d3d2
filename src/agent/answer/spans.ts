// The shortest phrase of an evidence sentence that answers a question of a given type: a resolved
// date, a quantity, a frequency, a person, a place, or the part of the sentence the question does not
// already say. Every phrase returned is a piece of the sentence (or a date resolved from it).
import { stem } from '../../util/text.js'
import { findDates } from '../../memory/dates.js'
import type { QuestionKind } from './question.js'
import { causeOf, qualityOf } from './clauses.js'

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)'
const NUM = '(?:\\d+(?:\\.\\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|a few|a couple(?: of)?|several|many)'
const UNIT = '(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)'
const ABSOLUTE_DATE = new RegExp(`\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|${MONTH},?\\s+\\d{4}|(?:in|since|from)\\s+(?:19|20)\\d{2})\\b`)
const DURATION = new RegExp(`\\b(?:since\\s+(?:${MONTH}\\s+)?(?:19|20)\\d{2}|${NUM}\\s+${UNIT}(?:\\s+(?:now|already))?|(?:since|for)\\s+(?:I was|high school|college|childhood|a (?:kid|child|teen(?:ager)?))\\w*)\\b`, 'i')
const AGO = new RegExp(`\\b${NUM}\\s+${UNIT}\\s+ago\\b`, 'i')
const COUNT = new RegExp(`\\b(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|a couple|a few|several)\\b(?:\\s+[a-z-]+){0,2}`, 'i')
const FREQUENCY = /\b(?:every\s+(?:\w+\s+)?(?:day|week|weekend|month|year|morning|night|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:once or twice|once|twice|(?:\w+|a few|a couple of|several) times)\s+(?:a|per|each|every)\s+(?:day|week|month|year)|daily|weekly|monthly|yearly|annually|all the time|most days|on weekends)\b/i
const RELATION = /\b(?:my|our|her|his)\s+((?:\w+\s+)?(?:mom|mother|dad|father|parents|sister|brother|siblings|aunt|uncle|grandma|grandmother|grandpa|grandfather|cousin|husband|wife|partner|boyfriend|girlfriend|son|daughter|kids|children|friend|friends|best friend|mentor|boss|colleague|coworker|teacher|coach|neighbor|neighbour|family|team|teammates|bandmates))\b/i
const PLACE = /\b(?:in|at|to|from|near|around|visited|visit|visiting|explore|explored|toured)\s+((?:the\s+)?\p{Lu}[\p{L}'-]+(?:\s+(?:of\s+)?\p{Lu}[\p{L}'-]+)*)/u
const COMMON_PLACE = /\b(?:at|to|in|from)\s+((?:a|the|my|our)\s+(?:\w+\s+)?(?:beach|park|lake|mountains?|museum|library|gym|studio|school|church|shelter|center|centre|cafe|restaurant|concert|festival|conference|hospital|office|store|shop|market|home|house|farm|forest|river|camp|campsite|city|countryside|coast|island|zoo|theater|theatre|stadium|class|workshop))\b/i

const NUMBER_WORD = /^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|both|several|a few|a couple)$/i

/**
 * "How many dogs …": the number said right before what is counted ("we have two dogs" → "two dogs"),
 * else the first number phrase of the sentence; undefined when the sentence counts nothing.
 */
function countOf (sentence: string, questionTerms: ReadonlySet<string>): string | undefined {
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’+-]*/gu) ?? []
  for (let i = 0; i < words.length; i++) {
    if (!NUMBER_WORD.test(words[i] ?? '')) continue
    // The counted thing within two words after the number ("two little dogs", "19 days").
    for (let j = i + 1; j <= i + 2 && j < words.length; j++) {
      if (questionTerms.has(stem((words[j] ?? '').toLowerCase()))) return words.slice(i, j + 1).join(' ')
    }
  }
  return matchOf(COUNT, sentence)
}

/** A date the sentence gives: a relative phrase resolved against `time`, else an absolute date. */
export function dateSpan (sentence: string, time: string | undefined): string | undefined {
  if (time !== undefined) {
    const found = findDates(sentence, time)
    if (found[0] !== undefined) return found[0].label
  }
  return ABSOLUTE_DATE.exec(sentence)?.[0].replace(/^(in|from)\s+/i, '')
}

function matchOf (re: RegExp, sentence: string): string | undefined {
  return re.exec(sentence)?.[0]
}

/** Names in a sentence: capitalised words that do not start it and are not the excluded names. */
function names (sentence: string, exclude: readonly string[]): string | undefined {
  const skip = new Set(['I', 'I\'m', 'I\'ve', 'I\'d', 'I\'ll', ...exclude.flatMap(n => n.split(/\s+/))])
  for (const m of sentence.matchAll(/(?<=[\p{L},;:]\s+)\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)*/gu)) {
    // A month or weekday, also plural ("on Sundays"), is a time, never a name or a place.
    const words = m[0].split(/\s+/).filter(w => !skip.has(w) && !MONTHS_AND_DAYS.has(w.replace(/s$/, '')))
    if (words.length > 0) return words.join(' ')
  }
  return undefined
}

const MONTHS_AND_DAYS = new Set(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])

// Leading and trailing words that carry no answer ("that self-care is important" → "self-care is important").
const EDGE = new Set(['that', 'to', 'for', 'of', 'about', 'is', 'was', 'are', 'were', 'be', 'been', 'i', 'im', 'i\'m', 'ive', 'i\'ve',
  'my', 'me', 'we', 'our', 'it', 'it\'s', 'its', 'this', 'so', 'and', 'but', 'or', 'with', 'by', 'on', 'in', 'at', 'as', 'just', 'really',
  'also', 'too', 'very', 'super', 'a', 'an', 'the', 'you', 'your', 'some', 'like', 'when', 'which', 'who', 'what', 'how', 'all', 'still', 'even',
  'has', 'have', 'had', 'did', 'do', 'does', 'been', 'get', 'got', 'gonna', 'going', 'yeah', 'yes', 'oh', 'wow', 'thanks', 'well', 'now', 'there', 'here', 'up', 'out', 'off', 'back'])

// Words that open a run but only lead up to what it says ("[called] FIFA 23", "[usually] use voice chat").
const LEAD = new Set(['usually', 'especially', 'often', 'always', 'actually', 'probably', 'maybe', 'called', 'named', 'titled', 'myself', 'yourself', 'himself', 'herself', 'ourselves', 'themselves'])

interface Word { text: string, hit: boolean }

function vagueWords (words: readonly string[]): boolean {
  return words.every(w => { const k = w.toLowerCase().replace(/’/g, '\''); return VAGUE.has(k) || EDGE.has(k) || /n't$/.test(k) })
}

/** True when a phrase says nothing on its own ("sounds great", "ready for", "haven't"). */
export function isVague (phrase: string): boolean {
  return vagueWords(phrase.match(/[\p{L}\p{N}][\p{L}\p{N}'’&+-]*/gu) ?? [])
}

// Words that never answer a what-question on their own ("sounds great", "any other", "Hi").
const VAGUE = new Set(['hi', 'hey', 'hello', 'great', 'good', 'nice', 'cool', 'awesome', 'amazing', 'sounds', 'sound', 'any', 'other', 'stuff',
  'thing', 'things', 'something', 'anything', 'everything', 'lot', 'lots', 'real', 'really', 'correctly', 'particularly', 'down', 'go', 'ready',
  'big', 'special', 'fun', 'glad', 'happy', 'love', 'loved', 'thanks', 'thank', 'definitely', 'totally', 'those', 'these', 'them', 'they', 'him',
  'her', 'she', 'he', 'us', 'one', 'ones', 'way', 'kind', 'sure', 'yep', 'yeah', 'wow', 'haha', 'lol', 'more', 'much', 'many', 'few', 'bit'])

// Relative time words: part of when-answers, noise in a what-answer ("volunteer at yesterday").
const TIMEY = /^(yesterday|today|tonight|tomorrow|last|next|week|weekend|month|year|ago|recently|lately|now|then|once|night|morning|evening)$/i

// Time phrases end a what-answer ("a charity race for mental health last Saturday" → "mental health").
const TIME_PHRASE = /\b(?:(?:last|next|this|past)\s+(?:week|weekend|month|year|night|summer|winter|spring|fall|monday|tuesday|wednesday|thursday|friday|saturday|sunday|fri|sat|sun)|yesterday|today|tonight|tomorrow|(?:\w+|a few|a couple of)\s+(?:days?|weeks?|months?|years?)\s+ago)\b/gi

function wordsOf (clause: string, questionTerms: ReadonlySet<string>): Word[] {
  return (clause.match(/[\p{L}\p{N}][\p{L}\p{N}'’&+-]*/gu) ?? []).map(text => {
    const parts = text.toLowerCase().replace(/’/g, '\'').split('-')
    return { text, hit: parts.some(p => questionTerms.has(stem(p))) }
  })
}

function trimEdges (words: Word[]): Word[] {
  let a = 0
  let b = words.length
  const edge = (w: Word | undefined): boolean => EDGE.has((w?.text ?? '').toLowerCase()) || TIMEY.test(w?.text ?? '')
  while (a < b && (edge(words[a]) || LEAD.has((words[a]?.text ?? '').toLowerCase()))) a++
  while (b > a && edge(words[b - 1])) b--
  return words.slice(a, b)
}

// A verb form alone: what joins the question's words in a sentence, not what it asks for.
const LONE_VERB = /(?:ed|ing)$|^(?:went|made|got|took|saw|did|had|gave|told|came|put|ran)$/i

/**
 * The part of a sentence the question does not already say: the runs of words between or after the
 * words it shares with the question ("teaching my siblings [coding]", "ended up in [this intense Harry
 * Potter trivia contest]"), short, not a lone verb, and with a name or number if asked for one.
 */
export function focusPhrase (sentence: string, questionTerms: ReadonlySet<string>, maxWords = 10): string | undefined {
  const clauses = sentence.replace(TIME_PHRASE, ',').split(/\s*(?:[,;:!?.()"“”]|\s[-–—]\s|—|–)\s*/).filter(c => c.trim() !== '')
  let best: { words: Word[], score: number } | undefined
  for (const clause of clauses) {
    const words = wordsOf(clause, questionTerms)
    const hits = words.flatMap((w, i) => w.hit ? [i] : [])
    const cuts = [-1, ...hits, words.length]
    for (let c = 0; c + 1 < cuts.length; c++) {
      const from = cuts[c] as number
      const to = cuts[c + 1] as number
      const run = trimEdges(words.slice(from + 1, to))
      if (run.length === 0 || vagueWords(run.map(w => w.text))) continue
      const before = from >= 0 ? 1 : 0
      const named = run.some((w, i) => (i > 0 || from >= 0) && /^[\p{Lu}\p{N}]/u.test(w.text)) ? 0.3 : 0
      // A run between two of the question's words is often just the verb that joins them ("Anthony and I
      // [went] to this charity thing"): a lone verb loses to the object after the words.
      const verb = run.length === 1 && LONE_VERB.test(run[0]?.text ?? '') ? 1 : 0
      // Any other run between them is the object the question leaves out ("grow [cherry tomatoes] on my balcony").
      const between = from >= 0 && to < words.length && verb === 0 ? 0.4 : 0
      const score = hits.length * 0.5 + before + between + named - verb - Math.max(0, run.length - maxWords) * 0.15 - (run.length === 1 && before === 0 ? 0.3 : 0)
      if (best === undefined || score > best.score) best = { words: run, score }
    }
  }
  return best === undefined ? undefined : best.words.slice(0, maxWords).map(w => w.text).join(' ')
}

// Words that end a noun phrase on its left: verbs of liking and doing the evidence often puts before it.
const VERBISH = new Set(['like', 'likes', 'love', 'loves', 'enjoy', 'enjoys', 'into', 'made', 'make', 'makes', 'try', 'tried', 'join', 'joined',
  'start', 'started', 'play', 'played', 'read', 'watch', 'saw', 'see', 'went', 'go', 'bought', 'buy', 'want', 'wanted', 'need', 'not', 'except',
  'favorite', 'favourite', 'from', 'than', 'if', 'because', 'since', 'until', 'up', 'out', 'off', 'over', 'after', 'before'])
const DETERMINER = new Set(['a', 'an', 'the', 'my', 'our', 'his', 'her', 'their', 'this', 'that', 'some', 'new', 'first'])

const lower = (w: string | undefined): string => (w ?? '').toLowerCase().replace(/’/g, '\'')

/** Can words[j] modify the noun after it ("live music event", "a marching event"), not end the phrase? */
function modifies (words: readonly string[], j: number): boolean {
  const w = lower(words[j])
  if (w === ',' || EDGE.has(w) || VERBISH.has(w) || VAGUE.has(w) || TIMEY.test(w) || /n't$/.test(w)) return false
  // "I'm trying kundalini yoga": a verb form, unless a determiner makes it an adjective ("a marching event").
  // "a safe, inviting place": after a joined modifier too.
  if (/(?:ed|ing)$/.test(w) && w.length > 4) {
    const before = lower(words[j - 1])
    return DETERMINER.has(before) || ((before === ',' || before === 'and') && j >= 2 && modifies(words, j - 2))
  }
  return true
}

/**
 * The noun phrase of `sentence` around the thing a what-question names: "What kind of music …" in
 * "I'm into electronic and rock music." → "electronic and rock music". Undefined when the sentence
 * does not name it or the phrase adds nothing to the question.
 */
export function headPhrase (sentence: string, heads: ReadonlySet<string>, questionTerms: ReadonlySet<string>): string | undefined {
  if (heads.size === 0) return undefined
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’&+:-]*|,/gu) ?? []
  const isHead = (j: number): boolean => words[j] !== ',' && heads.has(stem(lower(words[j]).replace(/[:-]+$/, '')))
  const at = words.findIndex((_, j) => isHead(j))
  if (at < 0) return undefined
  let b = at + 1
  while (b < words.length && isHead(b)) b++
  let a = at
  for (;;) {
    const w = lower(words[a - 1])
    // "electronic and rock music", "a safe, inviting place": a connector joins two modifiers.
    if ((w === ',' || w === 'and' || w === 'or') && a >= 2 && modifies(words, a - 2)) a -= 2
    else if (a >= 1 && modifies(words, a - 1)) a--
    else break
  }
  // "a painting of Aragorn", "a map of Middle-earth": what it is of says which one.
  if (lower(words[b]) === 'of') {
    let c = b + 1
    if (DETERMINER.has(lower(words[c]))) c++
    const from = c
    while (c < words.length && c - from < 3 && modifies(words, c)) c++
    if (c > from) b = c
  }
  const phrase = words.slice(a, b)
  if (phrase.every(w => w === ',' || questionTerms.has(stem(lower(w))) || EDGE.has(lower(w)))) return undefined
  return phrase.join(' ').replace(/ ,/g, ',').replace(/[:-]+$/, '')
}

export interface SpanContext {
  sentence: string
  time?: string
  questionTerms: ReadonlySet<string>
  /** Names the answer should not be (the question's own people and the speaker). */
  exclude: readonly string[]
  /** The question asks for a name ("What is the name of …", "What are … pets' names?"). */
  asksName?: boolean
  /** The question asks how something was or felt ("How did John describe the views?"): the answer is a quality. */
  describes?: boolean
}

/** The phrase of `sentence` answering a question of `kind`, or undefined when it has none of that type. */
export function spanFor (kind: QuestionKind, ctx: SpanContext): string | undefined {
  const s = ctx.sentence
  switch (kind) {
    case 'when': return dateSpan(s, ctx.time)
    case 'duration': return matchOf(DURATION, s)?.replace(/\s+(now|already)$/i, '') ?? dateSpan(s, ctx.time)
    case 'ago': return matchOf(AGO, s) ?? matchOf(DURATION, s)
    case 'count': return countOf(s, ctx.questionTerms)
    case 'frequency': return matchOf(FREQUENCY, s)
    case 'who': return RELATION.exec(s)?.[1] ?? names(s, ctx.exclude)
    case 'where': return PLACE.exec(s)?.[1]?.replace(/^the\s+/i, '') ?? names(s, ctx.exclude) ?? COMMON_PLACE.exec(s)?.[1]
    case 'yesno': return undefined
    case 'why': return causeOf(s) ?? focusPhrase(s, ctx.questionTerms)
    case 'how': return (ctx.describes === true ? qualityOf(s) : undefined) ?? focusPhrase(s, ctx.questionTerms)
    default: return (ctx.asksName === true ? names(s, ctx.exclude) : undefined) ?? focusPhrase(s, ctx.questionTerms)
  }
}
