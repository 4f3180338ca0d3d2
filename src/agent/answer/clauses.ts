// Answers that are a clause of the sentence rather than a thing it names: why something happened
// (the clause after "because", "'cause", "wanted to") and how something was or felt (what the
// sentence says it was: "The views were [spectacular]", "They were [awestruck and humbled]").
// Every phrase returned is a piece of the sentence.

// Splits a sentence into clauses: punctuation, dashes.
const CLAUSE = /\s*(?:[,;:!?.()"“”]|\s[-–—]\s|—|–)\s*/

// A reason follows one of these ("I chose them 'cause [they help LGBTQ+ folks]", "I wanted [to learn something new]").
const CAUSE = /(?:^|\s)(?:because(?:\s+of)?|'cause|’cause|cause|so that|in order to|(?:wanted|want|wants|decided|hoping|hope|helps?|inspired me|pushed me)\s+(?=to\s))\s*(.+)$/i
const MAX_CAUSE_WORDS = 10

/** The reason a sentence gives, or undefined when it states none. */
export function causeOf (sentence: string): string | undefined {
  for (const clause of sentence.split(CLAUSE)) {
    const m = CAUSE.exec(clause)
    const words = (m?.[1] ?? '').split(/\s+/).filter(w => w !== '')
    if (words.length > 0) return words.slice(0, MAX_CAUSE_WORDS).join(' ')
  }
  return undefined
}

// A quality is said after a copula or a verb of feeling, past words that only grade it.
const COPULA = /(?:^|\s)(?:is|was|were|are|been|be|felt|feel|feels|seems?|seemed|looks?|looked|it's|it’s|that's|that’s|'s|’s)\s+(.+)$/i
const GRADE = new Set(['so', 'really', 'super', 'pretty', 'truly', 'very', 'totally', 'just', 'such', 'quite', 'absolutely',
  'incredibly', 'a', 'an', 'the', 'my', 'our', 'his', 'her', 'their', 'all', 'always', 'also', 'still', 'definitely'])
// Words that end a quality: what follows is no longer the quality ("awesome [and it makes …]").
const END = new Set(['and', 'but', 'to', 'for', 'with', 'because', 'when', 'that', 'where', 'which', 'who', 'if', 'as', 'than', 'so',
  'i', 'it', 'we', 'you', 'he', 'she', 'they', 'this', 'there', 'of', 'in', 'on', 'at', 'about', 'from', 'by', 'like', 'not'])
const MAX_QUALITY_WORDS = 4
const VERB_FORM = /^[a-z]+ing$/

/** The words of one clause after its copula: "awestruck and humbled", "peaceful and awesome experience". */
function qualityIn (clause: string): string[] {
  const rest = COPULA.exec(clause)?.[1]
  if (rest === undefined) return []
  const words = rest.split(/\s+/).filter(w => w !== '')
  let a = 0
  while (a < words.length && GRADE.has((words[a] ?? '').toLowerCase())) a++
  const out: string[] = []
  for (let i = a; i < words.length && out.length < MAX_QUALITY_WORDS; i++) {
    const w = (words[i] ?? '').toLowerCase()
    // "peaceful and awesome": "and" joins two qualities, unless what follows starts a new clause.
    if (w === 'and' && out.length > 0 && !END.has((words[i + 1] ?? '').toLowerCase())) { out.push(words[i] ?? ''); continue }
    // "amazing [lying there]": a verb form after the quality starts what happened, not more of it.
    if (END.has(w) || (out.length > 0 && VERB_FORM.test(w))) break
    out.push(words[i] ?? '')
  }
  while (out.length > 0 && (out[out.length - 1] ?? '').toLowerCase() === 'and') out.pop()
  return out
}

/** What a sentence says something was or felt like, or undefined when it says no such thing. */
export function qualityOf (sentence: string): string | undefined {
  for (const clause of sentence.split(CLAUSE)) {
    const words = qualityIn(clause)
    if (words.length > 0) return words.join(' ')
  }
  return undefined
}
