import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction } from '../hooks.js'
import { VISIBILITIES, type Fact, type Memory, type Visibility } from '../types.js'
import { Card, Problem, when } from '../ui.js'

interface Props {
  item: Memory
  facts: Fact[]
  onChanged: (item: Memory) => void
  onForgotten: (id: string) => void
}

/** One memory: where it came from, the facts drawn from it, its visibility, and forgetting it. */
export function MemoryDetail ({ item, facts, onChanged, onForgotten }: Props) {
  const [confirming, setConfirming] = useState(false)
  const [vis, setVis] = useState<Visibility>(item.visibility)
  const change = useAction(async () => {
    await op('visibility', { target: item.id, visibility: vis })
    onChanged({ ...item, visibility: vis })
  })
  const forget = useAction(async () => {
    await op('forget', { id: item.id })
    onForgotten(item.id)
  })
  return (
    <Card title="Memory" id="memory-detail">
      <blockquote class="memory-text">{item.text}</blockquote>
      <dl class="facts">
        <dt>Source</dt><dd>{item.source}</dd>
        <dt>Time</dt><dd>{when(item.time)}</dd>
        <dt>Speaker</dt><dd>{item.speaker ?? '—'}</dd>
        <dt>Topics</dt><dd>{item.topics.join(', ') || '—'}</dd>
        <dt>Id</dt><dd><code>{item.id}</code></dd>
      </dl>
      {facts.length > 0 && (
        <>
          <h3>Facts drawn from it</h3>
          <ul>{facts.map(f => <li key={f.id}>{f.text} <small>({f.category})</small></li>)}</ul>
        </>
      )}
      <form class="row" onSubmit={(e) => { e.preventDefault(); void change.run() }}>
        <label for="detail-vis">Visibility</label>
        <select id="detail-vis" value={vis} onChange={(e) => { setVis((e.target as HTMLSelectElement).value as Visibility) }}>
          {VISIBILITIES.map(v => <option key={v} value={v}>{v}</option>)}
        </select>
        <button type="submit" disabled={change.busy || vis === item.visibility}>Change visibility</button>
      </form>
      <Problem error={change.error ?? forget.error} />
      {!confirming
        ? <button type="button" class="danger" onClick={() => { setConfirming(true) }}>Forget…</button>
        : (
          <div class="confirm" role="group" aria-label="Confirm forgetting">
            <p>Forget this memory for good? It is deleted from the vault and the index.</p>
            <button type="button" class="danger" disabled={forget.busy} onClick={() => { void forget.run() }}>Forget for good</button>
            <button type="button" onClick={() => { setConfirming(false) }}>Cancel</button>
          </div>
          )}
    </Card>
  )
}
