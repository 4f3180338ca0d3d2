import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction } from '../hooks.js'
import type { Topic } from '../types.js'
import { Problem } from '../ui.js'

// The owner's hand on the topics: declare one by name (and what it is about), rename, merge, remove.
// Each is the `topic` op; the node re-labels the memories, this page only shows what changed.

const idOf = (prefix: string, topic: string): string => `${prefix}-${topic.replace(/\W+/g, '-')}`

export function DeclareTopic ({ onDone }: { onDone: () => void }) {
  const [label, setLabel] = useState('')
  const [about, setAbout] = useState('')
  const [done, setDone] = useState<string>()
  const declare = useAction(async () => {
    const r = await op<{ topic: { label: string }, count: number }>('topic', { action: 'add', label: label.trim(), ...(about.trim() === '' ? {} : { about: about.trim() }) })
    setDone(`“${r.topic.label}” declared: ${r.count} memories belong to it.`)
    setLabel('')
    setAbout('')
    onDone()
  })
  return (
    <form class="row" onSubmit={(e) => { e.preventDefault(); void declare.run() }}>
      <label for="topic-label">Topic</label>
      <input id="topic-label" required maxLength={100} value={label} onInput={(e) => { setLabel((e.target as HTMLInputElement).value) }} />
      <label for="topic-about">About (optional)</label>
      <input id="topic-about" maxLength={500} value={about} placeholder="e.g. boats, regattas, the harbour" onInput={(e) => { setAbout((e.target as HTMLInputElement).value) }} />
      <button type="submit" disabled={declare.busy || label.trim() === ''}>Declare</button>
      {done !== undefined && <p role="status">{done}</p>}
      <Problem error={declare.error} />
    </form>
  )
}

/** Rename, merge into another topic, or remove — for one row of the topics table. */
export function TopicActions ({ t, all, onDone }: { t: Topic, all: readonly Topic[], onDone: () => void }) {
  const [to, setTo] = useState(t.topic)
  const others = all.filter(o => o.topic !== t.topic)
  const [into, setInto] = useState(others[0]?.topic ?? '')
  const act = useAction(async (params: Record<string, unknown>) => { await op('topic', params); onDone() })
  return (
    <div class="row">
      <label for={idOf('rn', t.topic)} class="sr-only">New name of {t.topic}</label>
      <input id={idOf('rn', t.topic)} maxLength={100} value={to} onInput={(e) => { setTo((e.target as HTMLInputElement).value) }} />
      <button type="button" disabled={act.busy || to.trim() === '' || to.trim() === t.topic} onClick={() => { void act.run({ action: 'rename', label: t.topic, to: to.trim() }) }}>Rename {t.topic}</button>
      {others.length > 0 && (
        <>
          <label for={idOf('mg', t.topic)} class="sr-only">Merge {t.topic} into</label>
          <select id={idOf('mg', t.topic)} value={into} onChange={(e) => { setInto((e.target as HTMLSelectElement).value) }}>
            {others.map(o => <option key={o.topic} value={o.topic}>{o.topic}</option>)}
          </select>
          <button type="button" disabled={act.busy || into === ''} onClick={() => { void act.run({ action: 'merge', from: [t.topic], into }) }}>Merge {t.topic}</button>
        </>
      )}
      <button type="button" disabled={act.busy} aria-label={`Remove topic ${t.topic} (its memories stay)`} onClick={() => { void act.run({ action: 'remove', label: t.topic }) }}>Remove</button>
      <Problem error={act.error} />
    </div>
  )
}
