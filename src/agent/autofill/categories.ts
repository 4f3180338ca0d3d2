// Profile fields a form asks for by category (occupation, city, allergies, birthday …): which field
// labels belong to a category, the words people use for it (recall finds the memory by these, not by
// the form's wording: "I'm a marine biologist" never says "occupation"), and the first-person phrases
// whose captured part is the value. A value is only ever a piece of what memory says.
import type { FormField } from './fields.js'
import { fieldLabel } from './fields.js'

export interface FieldCategory {
  name: string
  /** Matches the field's label (title, path words, description), lower case. */
  label: RegExp
  /** Words said around such a value, added to the recall query. */
  hints: string
  /** First-person phrases; group 1 is the value. */
  phrases: RegExp[]
}

const JOB_NOUN = '(?:[a-z]+ist|[a-z]+er|[a-z]+or|nurse|chef|student|counsell?or|engineer|scientist|designer|developer|analyst|consultant|architect|pilot|lawyer|doctor|dentist|paramedic|barista|librarian|technician|mechanic|accountant|freelancer|entrepreneur)'
const PLACE = '([A-Z][\\w\'-]+(?:\\s+[A-Z][\\w\'-]+)*)'
const DAY = '((?:\\d{1,2}(?:st|nd|rd|th)?\\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*(?:,?\\s+\\d{4})?)|(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?)|\\d{4}-\\d{2}-\\d{2})'

const CATEGORIES: FieldCategory[] = [
  {
    name: 'occupation',
    label: /\b(occupation|job|profession|career|role|position|work)\b/,
    hints: 'work job profession career I am a',
    phrases: [new RegExp(`\\b(?:I am|I'm|I work as|working as|work as)\\s+(?:[A-Z]\\w+,\\s+)?(?:an?\\s+)?((?:[a-z-]+\\s+){0,2}${JOB_NOUN})\\b`, 'i')]
  },
  {
    name: 'allergies',
    label: /\b(allerg\w*)\b/,
    hints: 'allergic allergy avoid',
    phrases: [/\ballergic to ([\w ]+?)(?=[.,;:!?]|$)/i, /\bavoid (\w+)[:;,.]?\s+I(?:'m| am) allergic/i, /\ballerg(?:y|ies) (?:to|is|are):?\s+([\w ]+?)(?=[.,;:!?]|$)/i]
  },
  {
    name: 'city',
    label: /\b(city|town|hometown|location|where you live|based|residence)\b/,
    hints: 'live living based moved',
    phrases: [new RegExp(`\\b(?:live|living|based|reside|residing)\\s+in\\s+${PLACE}`), new RegExp(`\\bmoved\\s+to\\s+${PLACE}`)]
  },
  {
    name: 'birthday',
    label: /\b(birthday|birth date|date of birth|born|dob)\b/,
    hints: 'born birthday',
    phrases: [new RegExp(`\\b(?:I was born on|I was born|born on|my birthday is(?: on)?|my birthday's(?: on)?)\\s+${DAY}`, 'i')]
  },
  {
    name: 'nationality',
    label: /\b(nationality|citizenship|country of origin|home country)\b/,
    hints: 'from country grew up born',
    phrases: [new RegExp(`\\b(?:I'm from|I am from|I come from|grew up in|born in|my home country,?)\\s+${PLACE}`)]
  }
]

/** The category of a field, by its label. */
export function categoryOf (field: FormField): FieldCategory | undefined {
  const label = fieldLabel(field).toLowerCase().replace(/_/g, ' ')
  return CATEGORIES.find(c => c.label.test(label))
}

/** The first phrase of the category said in `text`, or undefined. */
export function categoryValue (category: FieldCategory, text: string): string | undefined {
  for (const re of category.phrases) {
    const value = re.exec(text)?.[1]?.trim()
    if (value !== undefined && value !== '') return value
  }
  return undefined
}
