import nlp from 'compromise'

// First person to third: "I" / "my" / "me" become the speaker's name and pronouns, "you" / "your"
// the person spoken to, so a fact reads on its own ("I love my kids" → "Melanie loves her kids").

export interface Pronouns { subject: string, object: string, possessive: string, reflexive: string }

const SHE: Pronouns = { subject: 'she', object: 'her', possessive: 'her', reflexive: 'herself' }
const HE: Pronouns = { subject: 'he', object: 'him', possessive: 'his', reflexive: 'himself' }
const THEY: Pronouns = { subject: 'they', object: 'them', possessive: 'their', reflexive: 'themselves' }

const genderCache = new Map<string, Pronouns>()

/** Pronouns for a first name from compromise's name lexicon; "they" when it does not know. */
export function pronounsFor (name: string): Pronouns {
  const first = name.trim().split(/\s+/)[0] ?? name
  let p = genderCache.get(first)
  if (p === undefined) {
    const doc = nlp(first)
    p = doc.has('#FemaleName') ? SHE : doc.has('#MaleName') ? HE : THEY
    genderCache.set(first, p)
  }
  return p
}

const IRREGULAR = new Map([['have', 'has'], ['do', 'does'], ['go', 'goes'], ['am', 'is'], ["'m", 'is'], ["'ve", 'has'], ["'d", 'would'], ["'ll", 'will'], ['was', 'was'], ['can', 'can'], ['could', 'could'], ['will', 'will'], ['would', 'would'], ['should', 'should'], ['might', 'might'], ['must', 'must'], ['may', 'may'],
  ["don't", "doesn't"], ["don’t", "doesn’t"], ["haven't", "hasn't"], ["haven’t", "hasn’t"], ['wanna', 'wants to'], ['gotta', 'has to']])
/** Verbs whose past is spelled like their present: after "I" they are as often past ("I read it
 *  yesterday"), so they are left as they are. */
const SAME_PAST = new Set('read put set hurt cut let hit quit spread cost shut bet cast'.split(' '))

const presentCache = new Map<string, boolean>()

/** Whether the tagger reads `word` after "I" as a present-tense verb (cached per word). */
function isPresentVerb (word: string): boolean {
  let present = presentCache.get(word)
  if (present === undefined) {
    const tags = nlp(`I ${word} it`).terms().json()[1]?.terms?.[0]?.tags as string[] | undefined ?? []
    present = tags.includes('PresentTense') && !tags.includes('PastTense') && !tags.includes('Copula')
    if (presentCache.size > 10_000) presentCache.clear()
    presentCache.set(word, present)
  }
  return present
}

function thirdPerson (verb: string): string {
  const lower = verb.toLowerCase()
  const irregular = IRREGULAR.get(lower)
  if (irregular !== undefined) return irregular
  if (/['’]/.test(lower)) return verb
  if (SAME_PAST.has(lower) || !isPresentVerb(lower)) return verb
  if (/[^aeiou]y$/.test(lower)) return `${verb.slice(0, -1)}ies`
  if (/(s|sh|ch|x|z|o)$/.test(lower)) return `${verb}es`
  return `${verb}s`
}

/** Chat drops the subject ("Gonna continue my studies", "Went hiking"): put "I" back. */
function withSubject (sentence: string): string {
  if (/^(gonna|going|thinking|planning|hoping|working|trying|looking|loving|getting|doing|heading|feeling)\b/i.test(sentence)) return `I'm ${lowerFirst(sentence)}`
  if (/^(been|got|had|went|started|took|made|just|finally|love|loved|bought|joined|tried|finished|learned|met|saw|did|visited|signed|have|need|want|hope)\b/i.test(sentence)) return `I ${lowerFirst(sentence)}`
  return sentence
}

function lowerFirst (s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}

// Placeholders while rewriting, resolved left to right: the first mention becomes the name.
const SUBJ = '\uE000S'; const OBJ = '\uE000O'; const POSS = '\uE000P'; const REFL = '\uE000R'

/** Rewrite a first-person sentence about `name` (said to `other`, if known) into the third person. */
export function toThirdPerson (sentence: string, name: string, other?: string): string {
  const p = pronounsFor(name)
  let s = withSubject(sentence)
    .replace(/\bI\s*(['’]m|\sam)\b/g, `${SUBJ} is`)
    .replace(/\bI\s*['’]ve\b/g, `${SUBJ} has`)
    .replace(/\bI\s*['’]d\b/g, `${SUBJ} would`)
    .replace(/\bI\s*['’]ll\b/g, `${SUBJ} will`)
    .replace(/\bI\s+((?:[a-z]+ly|kinda|sorta|even|only|really|also|still|just|never|always|usually|often|totally|definitely|actually|sometimes)\s+)?([a-z]+(?:['’]t)?)(?![a-z'’])/g,
      (_m, adv: string | undefined, verb: string) => `${SUBJ} ${adv ?? ''}${thirdPerson(verb)}`)
    .replace(/\bI\b/g, SUBJ)
    .replace(/\bmyself\b/gi, REFL)
    .replace(/\b[Mm]y\b/g, POSS)
    .replace(/\bmine\b/g, p.possessive === 'her' ? 'hers' : p.possessive === 'his' ? 'his' : 'theirs')
    .replace(/\b[Mm]e\b(?!-)/g, OBJ)
  if (other !== undefined) {
    s = s.replace(/\byou\s*['’]re\b/gi, `${other} is`).replace(/\byou\s*['’]ve\b/gi, `${other} has`)
      .replace(/\byour\b/gi, `${other}'s`).replace(/\byours\b/gi, `${other}'s`).replace(/\byou\b/gi, other)
  }
  let named = s.includes(name)
  return s.replace(/\uE000([SOPR])/g, (_m, kind: string) => {
    const first = !named
    named = true
    if (kind === 'S') return first ? name : p.subject
    if (kind === 'O') return first ? name : p.object
    if (kind === 'P') return first ? `${name}'s` : p.possessive
    return p.reflexive
  })
}
