import type { AgentMemory, RespondRequest, RespondResult, Responder } from './types.js'
import { overlap, sentences, terms } from './text.js'

export const EXTRACTIVE_MARK = '[extractive answer: no model; quoted from memory]'

interface Scored { memory: AgentMemory, sentence: string, score: number }

/** Best sentence of each memory for the question, by term overlap (ties keep recall order). */
export function rankSentences (question: string, memories: readonly AgentMemory[]): Scored[] {
  const q = terms(question)
  const scored: Scored[] = []
  memories.forEach((memory, rank) => {
    let best: Scored | undefined
    for (const sentence of sentences(memory.text)) {
      const score = overlap(q, sentence) + 0.01 / (rank + 1)
      if (best === undefined || score > best.score) best = { memory, sentence, score }
    }
    if (best !== undefined) scored.push(best)
  })
  return scored.sort((a, b) => b.score - a.score)
}

/**
 * Answers without a model: quotes the best-matching sentences of the given memories, each with its
 * id, under a clear mark. Never adds text that is not in a memory.
 */
export class ExtractiveResponder implements Responder {
  readonly #maxQuotes: number

  constructor (options: { maxQuotes?: number } = {}) {
    this.#maxQuotes = options.maxQuotes ?? 3
  }

  async respond (request: RespondRequest): Promise<RespondResult> {
    const ranked = rankSentences(request.question, request.memories).filter(s => s.score >= 0.1)
    const picked = ranked.slice(0, this.#maxQuotes)
    const text = picked.length === 0
      ? `${EXTRACTIVE_MARK}\nI have no memory that answers this.`
      : [EXTRACTIVE_MARK, ...picked.map(s => `- ${s.sentence} [${s.memory.id}]`)].join('\n')
    request.onText?.(text)
    return { text, cited: picked.map(s => s.memory.id), mode: 'extractive' }
  }
}
