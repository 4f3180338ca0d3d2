import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction } from '../hooks.js'
import { VISIBILITIES, type Memory, type Visibility } from '../types.js'
import { Card, Problem } from '../ui.js'

interface Props {
  /** The memories the current search and filters show: what a bulk change covers. */
  shown: Memory[]
  /** Set when only a topic filter is active: the change then goes through the topic itself. */
  topic: string | undefined
  onDone: () => void
}

function countBy (items: Memory[]): string {
  const n = new Map<string, number>()
  for (const m of items) n.set(m.visibility, (n.get(m.visibility) ?? 0) + 1)
  return [...n.entries()].map(([v, c]) => `${c} ${v}`).join(', ')
}

/** Change the visibility of every shown memory, after a preview of exactly what it covers. */
export function BulkVisibility ({ shown, topic, onDone }: Props) {
  const [vis, setVis] = useState<Visibility>('shareable')
  const [preview, setPreview] = useState<Memory[]>()
  const [done, setDone] = useState(0)
  const apply = useAction(async (items: Memory[]) => {
    if (topic !== undefined) {
      // yes: the owner has just seen the preview of what this covers.
      await op('visibility', { target: topic, visibility: vis, topic: true, yes: true })
    } else {
      for (const m of items) {
        await op('visibility', { target: m.id, visibility: vis })
        setDone(d => d + 1)
      }
    }
    setPreview(undefined)
    onDone()
  })
  const changing = preview?.filter(m => m.visibility !== vis) ?? []
  return (
    <Card title="Change visibility of shown memories" id="bulk">
      <form class="row" onSubmit={(e) => { e.preventDefault(); setDone(0); setPreview(shown) }}>
        <label for="bulk-vis">New visibility</label>
        <select id="bulk-vis" value={vis} onChange={(e) => { setVis((e.target as HTMLSelectElement).value as Visibility); setPreview(undefined) }}>
          {VISIBILITIES.map(v => <option key={v} value={v}>{v}</option>)}
        </select>
        <button type="submit" disabled={shown.length === 0}>Preview</button>
      </form>
      {preview !== undefined && (
        <div class="preview" role="region" aria-label="Preview of the change">
          <p><strong>{preview.length}</strong> memories{topic === undefined ? '' : ` in topic “${topic}”`} ({countBy(preview)}); <strong>{changing.length}</strong> would become {vis}.</p>
          <ul>{changing.slice(0, 5).map(m => <li key={m.id}>{m.text.slice(0, 120)}</li>)}</ul>
          {changing.length > 5 && <p>… and {changing.length - 5} more.</p>}
          <button type="button" disabled={apply.busy || changing.length === 0} onClick={() => { void apply.run(changing) }}>
            Apply to {changing.length} memories
          </button>
          <button type="button" onClick={() => { setPreview(undefined) }}>Cancel</button>
          {apply.busy && topic === undefined && <progress max={changing.length} value={done} aria-label="Changing visibility" />}
        </div>
      )}
      <Problem error={apply.error} />
    </Card>
  )
}
