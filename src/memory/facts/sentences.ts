// Turning one conversational turn into candidate statements: split into sentences, strip what only
// manages the conversation (greetings, thanks, interjections, addressing the other by name) and
// drop questions, so what remains says something.

const INTERJECTION = /^(?:hey+|hi+|hello|heya|wow+|woah|whoa|oh+|ah+|aw+|yeah+|yea|yep|yup|yes|nope|no|ok(?:ay)?|so|well|thanks?(?: you)?(?: so much| a lot| a ton)?|thank you(?: so much| a lot)?|thx|haha+|lol|hehe|sure|cool|great|awesome|amazing|definitely|absolutely|totally|indeed|right|true|agreed|hmm+|ugh|omg|gosh|wowza|yay|woohoo+|sweet|nice|congrats|congratulations|exactly|anyway|btw|by the way|aww+|oops|ahh+|hah|ha)\b[\s,!.:;-]*/i
const LEAD_PUNCT = /^[\s,!.:;–—-]+/
const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu

/** Split a text into sentences (also at dashes used as sentence breaks in chat). */
export function splitSentences (text: string): string[] {
  return text.replace(EMOJI, '').replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=["'“(]?[A-Z0-9])|\s+[–—-]\s+|\s*\n+\s*|(?<=[.!?])(?=[A-Z])/)
    .map(s => s.trim()).filter(s => s !== '')
}

/** Remove leading interjections and a leading or trailing address of someone by name. */
export function stripChatter (sentence: string, names: readonly string[]): string {
  let s = sentence.trim()
  for (let i = 0; i < 6; i++) {
    const before = s
    s = s.replace(INTERJECTION, '').replace(LEAD_PUNCT, '')
    const address = /^([A-Z][\p{L}]+)\s*[,!.:]+\s*/u.exec(s)
    if (address !== null && isName(address[1] ?? '', names)) s = s.slice(address[0].length)
    if (s === before) break
  }
  s = s.replace(/,\s*([A-Z][\p{L}]+)\s*([.!?]*)$/u, (m, name: string, end: string) => isName(name, names) ? end : m)
  return s.trim()
}

function isName (word: string, names: readonly string[]): boolean {
  const w = word.toLowerCase()
  return w.length >= 2 && names.some(n => { const first = n.toLowerCase().split(/\s+/)[0] ?? ''; return first === w || (w.length >= 3 && first.startsWith(w)) })
}

export function isQuestion (sentence: string): boolean {
  return /\?\s*["')]*\s*$/.test(sentence)
}

/** Capitalise the first letter and end with a full stop. */
export function asStatement (sentence: string): string {
  let s = sentence.trim().replace(/[\s,;:–—-]+$/, '').replace(/!+$/, '.')
  if (!/[.!?]$/.test(s)) s += '.'
  return s.charAt(0).toUpperCase() + s.slice(1)
}
