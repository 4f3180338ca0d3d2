import { randomUUID } from 'node:crypto'
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext, type User } from '@a2a-js/sdk/server'
import { Role, type Message } from '@a2a-js/sdk'
import { InputError, NetworkError, PolicyError } from '../errors.js'
import { audited } from '../net/protocols/audited.js'
import type { NetDeps } from '../net/ports.js'
import type { Scope } from '../scope.js'
import { errText, log } from '../log.js'

const logA2a = log('http:a2a')

export const A2A_PROTOCOL = 'a2a/1.0'

/**
 * Who is calling over A2A: a stranger (public memories only) or the holder of a bearer grant
 * (exactly that grant's scope). `label` names the caller in the audit log.
 */
export class A2aCaller implements User {
  readonly label: string
  readonly scope: Scope
  readonly grantId: string | undefined

  constructor (label: string, scope: Scope, grantId?: string) {
    this.label = label
    this.scope = scope
    this.grantId = grantId
  }

  get isAuthenticated (): boolean {
    return this.grantId !== undefined
  }

  get userName (): string {
    return this.label
  }
}

function textOf (message: Message): string {
  return message.parts.map(p => p.content?.$case === 'text' ? p.content.value : '').join('\n').trim()
}

function agentMessage (request: RequestContext, text: string, metadata: Record<string, unknown>): Message {
  return {
    messageId: randomUUID(),
    contextId: request.contextId,
    taskId: '',
    role: Role.ROLE_AGENT,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata,
    extensions: [],
    referenceTaskIds: []
  }
}

/**
 * Answers A2A messages the way /secondme/converse answers a peer: recall only inside the caller's
 * scope, the responder for audience 'peer' (never a privately trained model), and one audit entry
 * with the ids the agent saw (or the code it refused with).
 */
export class SecondMeA2aExecutor implements AgentExecutor {
  readonly #deps: Required<Pick<NetDeps, 'recall' | 'responder'>> & Pick<NetDeps, 'audit' | 'conversations'>
  readonly #running = new Map<string, AbortController>()

  constructor (deps: Required<Pick<NetDeps, 'recall' | 'responder'>> & Pick<NetDeps, 'audit' | 'conversations'>) {
    this.#deps = deps
  }

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const caller = request.context.user
    if (!(caller instanceof A2aCaller)) throw new PolicyError('E_DENIED', 'unidentified A2A caller')
    const controller = new AbortController()
    this.#running.set(request.taskId, controller)
    try {
      const question = textOf(request.userMessage)
      const answer = await audited(this.#deps.audit, { peer: caller.label, protocol: A2A_PROTOCOL, action: 'converse' }, async () => {
        if (question === '') throw new InputError('E_BAD_INPUT', 'the message has no text part')
        const memories = await this.#deps.recall.recall(question.slice(0, 4000), caller.scope, 5)
        const result = await this.#deps.responder.respond({ question: question.slice(0, 4000), memories, history: [], audience: 'peer', signal: controller.signal })
        const disclosed = memories.map(m => m.id)
        // The owner reads A2A conversations back like peers' (a transcript must not cost the answer).
        await this.#deps.conversations?.record({ peer: caller.label, conversation: request.contextId, direction: 'in', question: question.slice(0, 4000), answer: result.text, memories: disclosed })
          .catch((err: unknown) => { logA2a.error('transcript not kept: %s', errText(err)) })
        return { result, disclosed }
      })
      bus.publish(AgentEvent.message(agentMessage(request, answer.text, { cited: answer.cited, mode: answer.mode })))
    } finally {
      this.#running.delete(request.taskId)
      bus.finished()
    }
  }

  cancelTask = async (taskId: string): Promise<void> => {
    this.#running.get(taskId)?.abort(new NetworkError('E_TIMEOUT', 'cancelled by the caller'))
  }
}
