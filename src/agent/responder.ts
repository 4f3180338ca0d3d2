import { ModelError } from '../errors.js'
import type { Audience } from '../model/models.js'
import type { Llm } from '../model/llm.js'
import { answerFrom } from './answer/index.js'
import { ExtractiveResponder } from './extractive.js'
import { buildAnswerPrompt, citedIds, fitMemories, type Persona, type PromptBudget } from './prompt.js'
import type { RespondRequest, RespondResult, Responder } from './types.js'

export interface ModelResponderInit {
  /** The backend for an audience. `me.models.llm` never returns a privately trained model for 'peer'. */
  llmFor: (audience: Audience) => Promise<Llm>
  persona?: Persona
  budget?: PromptBudget
  maxTokens?: number
}

/**
 * Answers as the owner with the model chosen for the audience, from the given memories only;
 * without a model (or when it fails) it answers extractively, marked as such.
 */
export class ModelResponder implements Responder {
  readonly #init: ModelResponderInit
  readonly #extractive = new ExtractiveResponder()

  constructor (init: ModelResponderInit) {
    this.#init = init
  }

  async respond (request: RespondRequest): Promise<RespondResult> {
    const llm = await this.#init.llmFor(request.audience)
    if (!llm.capabilities.generate) return await this.#extractive.respond(request)
    const memories = fitMemories(request.memories, this.#init.budget)
    // Same evidence selection as without a model; only sentences of the memories in the prompt.
    const given = new Set(memories.map(m => m.id))
    const evidence = answerFrom(request.question, memories).evidence.filter(e => given.has(e.id)).slice(0, 3)
    const prompt = buildAnswerPrompt(request, memories, this.#init.persona, evidence)
    try {
      const result = await llm.generate(prompt, {
        ...(this.#init.maxTokens === undefined ? {} : { maxTokens: this.#init.maxTokens }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(request.onText === undefined ? {} : { onText: request.onText })
      })
      const cited = citedIds(result.text, memories)
      return { text: result.text.trim(), answer: result.text.trim(), evidence: evidence.map(e => ({ id: e.id, sentence: e.sentence, ...(e.time === undefined ? {} : { time: e.time }) })), cited: cited.length > 0 ? cited : memories.map(m => m.id), mode: 'model', usage: { tokens: result.tokens, ms: result.ms } }
    } catch (err) {
      request.signal?.throwIfAborted()
      // A model that cannot answer (context too small, broken file) must not leave the asker with nothing.
      // A closed model (E_CLOSED, a StorageError) is not a model failure: it propagates.
      if (err instanceof ModelError) return await this.#extractive.respond(request)
      throw err
    }
  }
}
