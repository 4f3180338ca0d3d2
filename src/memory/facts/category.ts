import type { FactCategory } from './types.js'

// A fact's category from the words it uses; the first rule with the most hits wins. Plans come
// first: "is going to adopt" is a plan even though adoption is also about family.
const RULES: Array<[FactCategory, RegExp]> = [
  ['plans', /\b(plan(?:s|ning)?|going to|gonna|will|hope to|hoping to|wants? to|wanna|next (?:week|month|year|summer)|looking forward|dream|goal|someday|tomorrow|thinking (?:of|about))\b/gi],
  ['health', /\b(health|doctor|hospital|sick|ill|illness|injur\w*|surgery|therapy|therapist|diet|allerg\w*|pain|medic\w*|diagnos\w*|recover\w*|anxiety|depress\w*|stress\w*|sleep|weight|workout|exercise|fit|fitness)\b/gi],
  ['work', /\b(job|jobs|work\w*|career|boss|company|office|school|study\w*|studies|degree|class|classes|college|university|student|teacher|business|project|intern\w*|shift|colleague\w*|coworker\w*|hired|promot\w*|interview\w*|course|counsel\w*|volunteer\w*)\b/gi],
  ['relationships', /\b(husband|wife|partner|kids?|children|son|daughter|mom|mum|dad|mother|father|parents?|friends?|family|fam|married|marriage|dating|boyfriend|girlfriend|grandma|grandpa|grandmother|grandfather|brother|sister|siblings?|cousin|aunt|uncle|baby|wedding|breakup)\b/gi],
  ['identity', /\b(transgender|trans|gay|lesbian|queer|identity|born|grew up|years old|religio\w*|faith|christian|muslim|jewish|heritage|culture|nationality|vegan|vegetarian)\b/gi],
  ['places', /\b(moved|move|live[sd]?|living|city|country|hometown|home country|apartment|house|neighbo\w*|trip|travel\w*|visit\w*|abroad|beach|mountains?)\b/gi],
  ['possessions', /\b(bought|buy|own[sn]?|new (?:car|house|phone|bike|guitar|camera)|gift|necklace|collection|pets?|dogs?|cats?|puppy|kitten)\b/gi],
  ['hobbies', /\b(hobby|hobbies|paint\w*|music|play\w*|read\w*|books?|games?|sports?|run\w*|hik\w*|camp\w*|cook\w*|bak\w*|guitar|violin|piano|pottery|art|draw\w*|sing\w*|danc\w*|photograph\w*|garden\w*|swim\w*|yoga|fish\w*|knit\w*|movies?|concerts?|enjoy\w*|loves?|likes?)\b/gi],
  ['events', /\b(yesterday|last (?:week|weekend|month|year|night|\w+day)|ago|recently|went|attended|joined|started|finished|won|met|visited|took)\b/gi],
  ['opinions', /\b(think\w*|believe\w*|feel\w*|felt|important|matters?|value\w*)\b/gi]
]

export function categorise (text: string): FactCategory {
  let best: FactCategory = 'other'
  let hits = 0
  for (const [category, rule] of RULES) {
    const n = (text.match(rule) ?? []).length
    if (n > hits) { best = category; hits = n }
  }
  return best
}
