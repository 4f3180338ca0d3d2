import { op, post } from '../api.js'
import type { AskResult } from '../types.js'

/**
 * Ask the Second Me, streaming the answer's text as it is written: the OpenAI-compatible
 * `/v1/chat/completions` with `stream: true` (server-sent events). The final answer with its
 * citations comes from the same request's last chunk when the server puts them there, otherwise
 * from the `ask` op.
 */
export async function streamAsk (question: string, onText: (text: string) => void, signal?: AbortSignal): Promise<AskResult> {
  const res = await post('/v1/chat/completions', { model: 'secondme', stream: true, messages: [{ role: 'user', content: question }] }, signal)
  if (!res.ok || res.body === null) return await op<AskResult>('ask', { question }, signal)
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let text = ''
  let result: Partial<AskResult> = {}
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    const events = buffer.split('\n\n')
    buffer = events.pop() ?? ''
    for (const event of events) {
      const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('')
      if (data === '' || data === '[DONE]') continue
      // The last chunk carries the cited memory ids in the extra field `secondme`.
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }>, secondme?: Partial<AskResult> }
      const piece = chunk.choices?.[0]?.delta?.content ?? ''
      if (piece !== '') { text += piece; onText(text) }
      if (chunk.secondme !== undefined) result = { ...result, ...chunk.secondme }
    }
  }
  return { text, cited: [], mode: 'model', model: 'secondme', memories: [], ...result }
}
