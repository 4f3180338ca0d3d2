import { OWNER_SCOPE } from '../scope.js'
import { recallQueryFor, type Turn } from './follow-up.js'
import { recallFor } from './memory-access.js'
import { ModelResponder } from './responder.js'
import type { AgentHost, AgentMemory, RespondResult } from './types.js'

export interface AskOptions {
  k?: number
  /** Earlier turns of this chat, oldest first ('peer' is the asker): a follow-up is recalled with them. */
  history?: readonly Turn[]
  signal?: AbortSignal
  onText?: (chunk: string) => void
}

export interface AskResult extends RespondResult {
  question: string
  /** The model that answered ('none' for extractive). */
  model: string
  memories: Array<Pick<AgentMemory, 'id' | 'text' | 'time' | 'speaker' | 'replyTo' | 'extra' | 'score'>>
  timings: { recallMs: number, answerMs: number }
}

/** The responder a Second Me uses for `ask` and (audience 'peer') for the converse protocol. */
export function responderOf (me: AgentHost): ModelResponder {
  const settings = me.models.settings
  return new ModelResponder({
    useLlm: async (audience, fn) => await me.models.use(audience, fn),
    persona: me.config.displayName === undefined ? {} : { name: me.config.displayName },
    // Roughly 3 characters per token, leaving room for the answer and the template.
    budget: { maxMemoryChars: Math.max(400, (settings.contextSize - settings.maxTokens - 200) * 3) },
    maxTokens: settings.maxTokens
  })
}

/** `secondme ask`: recall with the owner's scope, then answer in the owner's voice, streamed. */
export async function ask (me: AgentHost, question: string, options: AskOptions = {}): Promise<AskResult> {
  const t0 = performance.now()
  const history = options.history ?? []
  const memories = await recallFor(me, recallQueryFor(question, history), options.k ?? me.models.settings.recallK, OWNER_SCOPE)
  const t1 = performance.now()
  const result = await responderOf(me).respond({
    question,
    memories,
    history: [...history],
    audience: 'owner',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onText === undefined ? {} : { onText: options.onText })
  })
  return {
    ...result,
    question,
    model: result.mode === 'model' ? await me.models.use('owner', async llm => llm.info.id) : 'none',
    memories: memories.map(m => ({ id: m.id, text: m.text, ...(m.time === undefined ? {} : { time: m.time }), ...(m.speaker === undefined ? {} : { speaker: m.speaker }), ...(m.replyTo === undefined ? {} : { replyTo: m.replyTo }), ...(m.extra === undefined ? {} : { extra: m.extra }), ...(m.score === undefined ? {} : { score: m.score }) })),
    timings: { recallMs: t1 - t0, answerMs: performance.now() - t1 }
  }
}
