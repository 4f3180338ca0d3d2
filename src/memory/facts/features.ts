import { terms } from '../../util/text.js'

// What makes a sentence of a conversation a fact about its speaker rather than small talk: it is
// about the speaker (first person), carries content words, events (past tense, dates), names and
// numbers; small talk is about the other person ("you"), generic praise, or comment ("that sounds").
// The weights are fitted by logistic regression (scripts/fit-facts.ts) on annotated conversations.

const TIME = /\b(yesterday|today|tonight|tomorrow|last (?:week|weekend|month|year|night|time|summer|winter|spring|fall|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|next (?:week|weekend|month|year|summer)|this (?:week|weekend|month|year|summer|morning)|ago|recently|lately|since|soon|(?:19|20)\d\d|january|february|march|april|june|july|august|september|october|november|december)\b/i
const PAST = /\b(went|got|made|took|saw|had|was|were|did|ran|bought|met|gave|found|came|started|joined|tried|won|lost|left|moved|began|told|felt|learned|learnt|wrote|read|built|became|taught|spent|visited|finished|decided|adopted|received|attended|signed|[a-z]{3,}ed)\b/i
const PLAN = /\b(gonna|going to|plan(?:ning)?|will|'ll|hope to|hoping to|want to|wanna|thinking (?:of|about)|next|looking forward|can't wait|dream|goal|someday)\b/i
const PRAISE = new Set(('great awesome amazing cool nice glad happy proud love lovely wonderful fantastic inspiring inspire sound fun good ' +
  'beautiful incredible thank agre true total definit appreciat support mean super beauti wish luck hope care keep ' +
  'stay strong import realli special reminder remind bless enjoy excit glad gorgeou stun impress admir brave share ' +
  'happen talk chat catch').split(' '))
const COMMENT = /^(it|that|this|those|these|sounds?|looks?|seems?|what|how|there|here|let'?s|keep|don'?t|stay|take care|good luck|you|your)\b/i
const FIRST = /\b(I|I'm|I've|I'd|I'll|Im|Ive)\b/
const MY = /\b(my|me|myself|mine)\b/i
const WE = /\b(we|our|us|we're|we've|ours)\b/i
const YOU = /\b(you|your|you're|you've|yours|u)\b/gi
/** The speaker as subject or owner ("I went", "my sister", "we moved"), not only as object ("means a lot to me"). */
const SUBJECT = /\b(I|I['’](?:m|ve|d|ll)|Im|Ive|my|we|our|we['’](?:re|ve))\b/i
/** Managing the conversation rather than telling: asking to be kept posted, wishing well, proposing. */
const REQUEST = /\b(let me know|keep me (?:posted|updated|in the loop)|tell me|can['’]?t wait to (?:hear|see|read)|let['’]?s|good luck|hope you|you should|have fun|enjoy it|take care)\b/i
/** Any person at all: a sentence without one is a general remark ("Family is everything"). */
const PERSON = /\b(I|I['’]\w+|me|my|mine|we|our|us|you|your|he|she|his|her|him|they|them|their)\b/i

/** Threads longer than a long chat session (notes, exports) count as that long. */
const MAX_THREAD = 50

export const FEATURE_NAMES = ['bias', 'statements', 'firstStatements', 'anyFirst', 'you', 'questions', 'content', 'time', 'pastFirst', 'plan', 'praise', 'proper', 'number', 'photo', 'opensSession', 'answersQuestion', 'answersAboutThem', 'comment', 'we', 'words', 'reaction', 'nextAsks', 'echoed', 'position', 'position2', 'threadLength', 'subjectFirst', 'request', 'impersonal'] as const

export interface TurnContext {
  /** The whole turn, questions included. */
  text: string
  /** Its statement sentences (cleaned, no questions). */
  statements: readonly string[]
  photo: boolean
  seq: number
  /** How many items its thread has (news is told early in a session; long sessions chat more). */
  length: number
  /** The previous turn of the thread, when said by someone else. */
  previous?: string
  /** The next turn of the thread, when said by someone else. */
  next?: string
  /** Names of the people in the conversation (not counted as content names). */
  names: readonly string[]
}

const REACTION = /^(thanks|thank you|wow|woah|whoa|congrat|that'?s|sounds|cool|awesome|amazing|great|glad|aw|oh)/i

/** Share of the turn's content words the other person takes up in their reply (interest). */
function echo (content: readonly string[], next: string): number {
  if (content.length === 0 || next === '') return 0
  const reply = new Set(terms(next))
  return new Set(content.filter(t => reply.has(t))).size / Math.sqrt(new Set(content).size)
}

const share = (list: readonly string[], test: (s: string) => boolean): number => list.length === 0 ? 0 : list.filter(test).length / list.length

const count = (text: string, re: RegExp): number => (text.match(new RegExp(re.source, 'gi')) ?? []).length

/** Whether a sentence is about its speaker (first person singular or plural). */
export function isFirstPerson (sentence: string): boolean {
  return FIRST.test(sentence) || MY.test(sentence) || WE.test(sentence)
}

/** Feature vector of one turn, in FEATURE_NAMES order. */
export function turnFeatures (ctx: TurnContext): number[] {
  const body = ctx.statements.join(' ')
  const content = terms(body)
  const praise = content.filter(t => PRAISE.has(t) || [...PRAISE].some(p => p.length >= 5 && t.startsWith(p))).length
  const words = body.split(/\s+/).filter(Boolean)
  const names = new Set(ctx.names.flatMap(n => n.toLowerCase().split(/\s+/)))
  const proper = ctx.statements.flatMap(s => s.split(/\s+/).slice(1)).filter(w => /^[A-Z][\p{L}]+/u.test(w) && w !== 'I' && !/^I['’]/.test(w) && !names.has(w.replace(/[^\p{L}]/gu, '').toLowerCase())).length
  const first = ctx.statements.filter(s => FIRST.test(s) || MY.test(s))
  const previous = ctx.previous ?? ''
  const position = Math.min(1, ctx.seq / Math.max(1, ctx.length))
  return [
    1,
    Math.log1p(ctx.statements.length),
    Math.log1p(first.length),
    first.length > 0 ? 1 : 0,
    Math.log1p(count(body, YOU)),
    Math.log1p(count(ctx.text, /\?/)),
    Math.log1p(content.length),
    TIME.test(body) ? 1 : 0,
    first.some(s => PAST.test(s)) ? 1 : 0,
    PLAN.test(body) ? 1 : 0,
    content.length === 0 ? 1 : praise / content.length,
    Math.log1p(proper),
    /\d/.test(body) ? 1 : 0,
    ctx.photo ? 1 : 0,
    ctx.seq === 0 ? 1 : 0,
    /\?/.test(previous) ? 1 : 0,
    /\b(you|your)\b[^.!]*\?/i.test(previous) ? 1 : 0,
    ctx.statements.length === 0 ? 1 : ctx.statements.filter(s => COMMENT.test(s)).length / ctx.statements.length,
    WE.test(body) ? 1 : 0,
    Math.log1p(words.length),
    REACTION.test(ctx.text.trim()) ? 1 : 0,
    /\?/.test(ctx.next ?? '') ? 1 : 0,
    echo(content, ctx.next ?? ''),
    position,
    position * position,
    Math.log1p(Math.min(ctx.length, MAX_THREAD)),
    Math.log1p(ctx.statements.filter(s => SUBJECT.test(s)).length),
    share(ctx.statements, s => REQUEST.test(s)),
    share(ctx.statements, s => !PERSON.test(s))
  ]
}

export function sigmoid (x: number): number {
  return 1 / (1 + Math.exp(-x))
}

export function dot (w: readonly number[], x: readonly number[]): number {
  let s = 0
  for (let i = 0; i < x.length; i++) s += (w[i] ?? 0) * (x[i] ?? 0)
  return s
}
