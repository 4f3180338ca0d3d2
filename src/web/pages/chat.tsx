import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction, useOp } from '../hooks.js'
import { streamAsk } from '../parts/stream.js'
import type { AskResult } from '../types.js'
import { Card, Problem, short } from '../ui.js'

interface Turn { question: string, answer: string, result?: AskResult }
interface ModelRecord { id: string, name?: string, kind?: string, file?: string }

/** The memories an answer cites: each opens on the Memories page (its text shows on hover when known). */
function Citations ({ result }: { result: AskResult }) {
  if (result.cited.length === 0) return null
  const text = new Map(result.memories.map(m => [m.id, m.text]))
  return (
    <p class="citations">
      <span>Sources: </span>
      {result.cited.map((id, i) => (
        <a key={id} class="cite" href={`#/memories?id=${encodeURIComponent(id)}`} title={text.get(id)} aria-label={`Source ${i + 1}: open the memory`}>[{i + 1}]</a>
      ))}
    </p>
  )
}

function ModelChoice () {
  const models = useOp<{ active: { modelId: string | null }, models: ModelRecord[] }>('model.list')
  const choose = useAction(async (id: string) => {
    if (id === '') await op('model.unuse', {})
    else await op('model.use', { id })
    models.reload()
  })
  const list = (models.data?.models ?? []).filter(m => m.kind !== 'adapter')
  return (
    <div class="row">
      <label for="model">Answer with</label>
      <select id="model" value={models.data?.active.modelId ?? ''} disabled={choose.busy} onChange={(e) => { void choose.run((e.target as HTMLSelectElement).value) }}>
        <option value="">the extractive answerer (no model)</option>
        {list.map(m => <option key={m.id} value={m.id}>{m.name ?? m.file ?? short(m.id)}</option>)}
      </select>
      <Problem error={models.error ?? choose.error} />
    </div>
  )
}

function Autofill () {
  const fill = useAction(async (schema: string, context: string) => await op<unknown>('autofill', { schema: JSON.parse(schema) as unknown, context }))
  const [out, setOut] = useState<unknown>()
  return (
    <Card title="Autofill a form">
      <form onSubmit={(e) => { e.preventDefault(); const f = new FormData(e.currentTarget); void fill.run(String(f.get('schema')), String(f.get('context') ?? '')).then(setOut) }}>
        <label for="af-schema">JSON Schema of the form</label>
        <textarea id="af-schema" name="schema" rows={6} required placeholder='{"type":"object","properties":{"name":{"type":"string"}}}' />
        <label for="af-context">Context (optional)</label>
        <input id="af-context" name="context" />
        <button type="submit" disabled={fill.busy}>Fill from memory</button>
      </form>
      <Problem error={fill.error} />
      {out !== undefined && <pre class="json" tabIndex={0} aria-label="Filled form">{JSON.stringify(out, null, 2)}</pre>}
    </Card>
  )
}

export function ChatPage () {
  const [turns, setTurns] = useState<Turn[]>([])
  const send = useAction(async (question: string) => {
    setTurns(t => [...t, { question, answer: '' }])
    const update = (patch: Partial<Turn>): void => { setTurns(t => t.map((x, i) => i === t.length - 1 ? { ...x, ...patch } : x)) }
    const result = await streamAsk(question, (text) => { update({ answer: text }) })
    update({ answer: result.text, result })
  })
  return (
    <>
      <h1>Chat</h1>
      <Card title="Talk to your Second Me">
        <ModelChoice />
        <ol class="chat" aria-live="polite">
          {turns.map((t, i) => (
            <li key={i}>
              <p class="q"><strong>You:</strong> {t.question}</p>
              <p class="a"><strong>Second Me:</strong> {t.answer === '' ? '…' : t.answer}</p>
              {t.result !== undefined && <Citations result={t.result} />}
            </li>
          ))}
        </ol>
        <form class="row" onSubmit={(e) => { e.preventDefault(); const input = e.currentTarget.elements.namedItem('question') as HTMLInputElement; const q = input.value.trim(); if (q !== '') { input.value = ''; void send.run(q) } }}>
          <label for="question">Question</label>
          <input id="question" name="question" class="grow" autocomplete="off" />
          <button type="submit" disabled={send.busy}>Ask</button>
        </form>
        <Problem error={send.error} />
      </Card>
      <Autofill />
    </>
  )
}
