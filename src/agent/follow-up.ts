import type { RespondRequest } from './types.js'

// A follow-up ("And where does she live?", "What about that trip?") names its subject only in an
// earlier turn: recalled alone it would search for "she" or "that". Its recall query therefore
// carries the subject of the asker's previous turn: the names in it when it has any (the rest of
// that turn was about something else, and its words would pull in the wrong memories), otherwise
// the whole turn ("What car do you drive?" → "When did you buy it?"). A question that names
// someone itself stands alone.

export type Turn = NonNullable<RespondRequest['history']>[number]

const REFERS_BACK = /\b(?:he|she|they|him|her|them|his|hers|their|theirs|it|its|that|those|these|there|then|this)\b|^\s*(?:and|also|what about|how about)\b/i
// A capitalised word after the first one ("Where did Caroline go?"), other than "I".
const NAMES_SOMEONE = /\s(?!I\b)[A-Z][a-z]+/
const NAMES = /(?<=\s)(?!I\b)[A-Z][\w'-]*/g

/** Whether a question leans on an earlier turn for its subject. */
export function isFollowUp (question: string): boolean {
  return REFERS_BACK.test(question) && !NAMES_SOMEONE.test(question.trim())
}

/** The text to recall for `question`, given the conversation so far (oldest first). */
export function recallQueryFor (question: string, history: readonly Turn[] = []): string {
  if (!isFollowUp(question)) return question
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]
    if (turn?.from === 'peer') return `${question} ${subjectOf(turn.text)}`
  }
  return question
}

/** The names a turn mentions (after its first word), or the whole turn when it names no one. */
function subjectOf (turn: string): string {
  const names = [...turn.trim().matchAll(NAMES)].map(m => m[0].replace(/'s$/, ''))
  return names.length > 0 ? [...new Set(names)].join(' ') : turn
}
