import { answerFrom, type AnswerOptions } from './answer/index.js'
import type { RespondRequest, RespondResult, Responder } from './types.js'

/**
 * Answers without a model: the shortest phrase of the question's type from the best supporting
 * memory sentence, with the memory ids it came from, or "not mentioned in my memories". Never adds
 * text that is not in a memory (dates are resolved from the memory's own time).
 */
export class ExtractiveResponder implements Responder {
  readonly #options: AnswerOptions

  constructor (options: AnswerOptions = {}) {
    this.#options = options
  }

  async respond (request: RespondRequest): Promise<RespondResult> {
    const short = answerFrom(request.question, request.memories, this.#options)
    request.onText?.(short.answer)
    return {
      text: short.answer,
      cited: short.cited,
      mode: 'extractive',
      answer: short.answer,
      evidence: short.evidence.map(e => ({ id: e.id, sentence: e.sentence, ...(e.time === undefined ? {} : { time: e.time }) }))
    }
  }
}
