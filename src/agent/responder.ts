import { ModelError } from '../errors.js'
import type { Audience } from '../model/models.js'
import type { Llm } from '../model/llm.js'
import type { ChatPrompt } from '../model/llm.js'
import { answerFrom, type Evidence } from './answer/index.js'
import { ExtractiveResponder } from './extractive.js'
import { buildAnswerPrompt, citedIds, fitMemories, type Persona, type PromptBudget } from './prompt.js'
import type { AgentMemory, RespondRequest, RespondResult, Responder } from './types.js'

export interface ModelResponderInit {
  /** Runs `fn` with the backend for an audience (`me.models.use`: never a privately trained model for 'peer'). */
  useLlm: <T>(audience: Audience, fn: (llm: Llm) => Promise<T>) => Promise<T>
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
    return await this.#init.useLlm(request.audience, async llm => await this.#respondWith(llm, request))
  }

  /** The exact prompt `respond` gives the model for this request (none when answering extractively). */
  async promptFor (request: RespondRequest): Promise<ChatPrompt | undefined> {
    return await this.#init.useLlm(request.audience, async llm => llm.capabilities.generate ? (await this.#fit(llm, request)).prompt : undefined)
  }

  async #respondWith (llm: Llm, request: RespondRequest): Promise<RespondResult> {
    if (!llm.capabilities.generate) return await this.#extractive.respond(request)
    try {
      const { memories, evidence, prompt } = await this.#fit(llm, request)
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

  /**
   * The prompt with as many memories as the budget allows, halved until the model says prompt and
   * answer fit its context (characters per token differ a lot between tokenizers).
   */
  async #fit (llm: Llm, request: RespondRequest): Promise<{ memories: AgentMemory[], evidence: Evidence[], prompt: ChatPrompt }> {
    let budget = this.#init.budget?.maxMemoryChars ?? 6000
    for (;;) {
      const memories = fitMemories(request.memories, { ...this.#init.budget, maxMemoryChars: budget })
      // Same evidence selection as without a model; only sentences of the memories in the prompt.
      const given = new Set(memories.map(m => m.id))
      const evidence = answerFrom(request.question, memories).evidence.filter(e => given.has(e.id)).slice(0, 3)
      const prompt = buildAnswerPrompt(request, memories, this.#init.persona, evidence)
      if (llm.promptRoom === undefined || budget <= 200 || await llm.promptRoom(prompt) >= (this.#init.maxTokens ?? 256)) return { memories, evidence, prompt }
      budget = Math.floor(budget / 2)
    }
  }
}
