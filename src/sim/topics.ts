// The topic vocabulary of simulated personas: a readable label and the words that mark a memory as
// being about it. LoCoMo speakers get the topics their own turns mention most; generated personas
// draw theirs at random and get facts written from the templates below.

export interface TopicDef {
  label: string
  keywords: RegExp
  /** Sentence templates for generated facts; {name} and {x} are filled in. */
  facts: string[]
  things: string[]
}

export const TOPICS: readonly TopicDef[] = [
  topic('painting', /\b(paint\w*|canvas|art|artist|drawing|sketch\w*)\b/i, ['paint landscapes', 'watercolour portraits', 'abstract acrylics']),
  topic('pottery', /\b(potter\w*|clay|ceramic\w*|kiln)\b/i, ['wheel-thrown bowls', 'glazed mugs', 'raku vases']),
  topic('camping', /\b(camp\w*|hik\w*|trail\w*|outdoors?|mountains?|forest)\b/i, ['the lake trail', 'a two-night trip in the hills', 'a tent by the river']),
  topic('music', /\b(music|guitar|violin|piano|song\w*|concert\w*|band|sing\w*)\b/i, ['an acoustic guitar', 'jazz records', 'a choir']),
  topic('basketball', /\b(basketball|court|hoops?|nba|team|season)\b/i, ['the neighbourhood league', 'a three-on-three game', 'free throws']),
  topic('gaming', /\b(gam(e|es|ing|er)|console|esports|tournament|xbox|playstation)\b/i, ['a strategy game', 'an online tournament', 'a retro console']),
  topic('reading', /\b(books?|read\w*|novel\w*|fantasy|author\w*|library|harry potter)\b/i, ['fantasy novels', 'a book club', 'science fiction']),
  topic('writing', /\b(writ\w*|poem\w*|poetry|blog\w*|journal\w*|stories)\b/i, ['short stories', 'a travel blog', 'a poetry journal']),
  topic('family', /\b(kids?|family|children|son|daughter|husband|wife|mom|dad|parents?)\b/i, ['sunday dinners', 'the kids\' school play', 'a family reunion']),
  topic('pets', /\b(dogs?|cats?|pup\w*|pets?|kitten\w*|turtles?)\b/i, ['a rescue dog', 'two cats', 'a turtle tank']),
  topic('volunteering', /\b(volunteer\w*|charity|shelter|homeless|donat\w*|fundrais\w*)\b/i, ['the food bank', 'an animal shelter', 'a charity run']),
  topic('community', /\b(community|support group|lgbtq|activis\w*|advoca\w*|mentor\w*)\b/i, ['a support group', 'a youth mentoring scheme', 'a pride march']),
  topic('fitness', /\b(gym|running|run|yoga|workout\w*|fitness|marathon|exercise)\b/i, ['morning runs', 'a yoga class', 'a half marathon']),
  topic('cooking', /\b(cook\w*|recipes?|bak\w*|kitchen|dinner|meal\w*)\b/i, ['sourdough bread', 'a curry recipe', 'pasta from scratch']),
  topic('travel', /\b(travel\w*|trip|road trip|vacation|flight|abroad|beach)\b/i, ['a road trip along the coast', 'a week in Lisbon', 'a train across Europe']),
  topic('programming', /\b(cod(e|ing)|programm\w*|software|app|developer|python|javascript)\b/i, ['a small web app', 'open-source projects', 'a Python course']),
  topic('career', /\b(job|work\w*|career|boss|promotion|office|interview\w*|business)\b/i, ['a new job', 'a side business', 'a job interview']),
  topic('health', /\b(health\w*|doctor|hospital|therapy|mental|stress|anxiety|diet)\b/i, ['a new diet', 'weekly therapy', 'better sleep']),
  topic('photography', /\b(photo\w*|camera|picture\w*|lens)\b/i, ['a film camera', 'street photography', 'sunset pictures']),
  topic('gardening', /\b(garden\w*|plants?|flowers?|grow\w*|seeds?)\b/i, ['tomatoes on the balcony', 'a herb garden', 'roses']),
  topic('education', /\b(school|class\w*|course|study\w*|degree|college|universit\w*|learn\w*)\b/i, ['an evening class', 'a counseling degree', 'a language course']),
  topic('film', /\b(movies?|films?|cinema|series|netflix|shows?)\b/i, ['old westerns', 'a film festival', 'documentaries']),
  topic('dance', /\b(danc\w*|ballet|salsa)\b/i, ['salsa lessons', 'a dance recital', 'ballet']),
  topic('cars', /\b(cars?|driv\w*|engine|motorcycle|bike)\b/i, ['a vintage car', 'a motorcycle tour', 'a new bike'])
]

function topic (label: string, keywords: RegExp, things: string[]): TopicDef {
  return {
    label,
    keywords,
    things,
    facts: [
      '{name} has been into {topic} for years, lately mostly {x}.',
      'One of the best weekends {name} remembers was all about {x}.',
      '{name} is planning more {topic} this year, starting with {x}.',
      'Friends know {name} as the person to ask about {topic}, especially {x}.'
    ]
  }
}

/** Topic labels a text is about (in vocabulary order). */
export function topicsOf (text: string): string[] {
  return TOPICS.filter(t => t.keywords.test(text)).map(t => t.label)
}

export function topicDef (label: string): TopicDef | undefined {
  return TOPICS.find(t => t.label === label)
}
