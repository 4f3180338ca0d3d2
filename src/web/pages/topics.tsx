import { useMemo, useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction, useOp } from '../hooks.js'
import { FactsByPerson } from '../parts/facts.js'
import { DeclareTopic, TopicActions } from '../parts/topic-edit.js'
import { TopicMap, topicLinks } from '../parts/topic-map.js'
import { VISIBILITIES, type Fact, type Memory, type Topic, type Visibility } from '../types.js'
import { Busy, Card, Problem } from '../ui.js'

function TopicRow ({ t, all, items, onDone }: { t: Topic, all: readonly Topic[], items: Memory[], onDone: () => void }) {
  const [vis, setVis] = useState<Visibility>(t.visibility === 'mixed' ? 'private' : t.visibility)
  const [preview, setPreview] = useState(false)
  const members = items.filter(m => m.topics.includes(t.topic))
  const changing = members.filter(m => m.visibility !== vis)
  const apply = useAction(async () => { await op('visibility', { target: t.topic, visibility: vis, topic: true, yes: true }); setPreview(false); onDone() })
  const id = `tv-${t.topic.replace(/\W+/g, '-')}`
  return (
    <tr>
      <th scope="row">{t.topic}{t.declared && <span class="tag"> declared</span>}</th>
      <td>{t.count}</td>
      <td>{t.visibility}</td>
      <td>
        <label for={id} class="sr-only">New visibility of {t.topic}</label>
        <select id={id} value={vis} onChange={(e) => { setVis((e.target as HTMLSelectElement).value as Visibility); setPreview(false) }}>
          {VISIBILITIES.map(v => <option key={v} value={v}>{v}</option>)}
        </select>
        <button type="button" aria-label={`Preview visibility change of ${t.topic}`} onClick={() => { setPreview(true) }}>Preview</button>
        {preview && (
          <div class="preview" role="region" aria-label={`Preview for ${t.topic}`}>
            <p>{changing.length} of {members.length} memories in “{t.topic}” would become {vis}.</p>
            <ul>{changing.slice(0, 3).map(m => <li key={m.id}>{m.text.slice(0, 100)}</li>)}</ul>
            <button type="button" disabled={apply.busy} onClick={() => { void apply.run() }}>Apply to {t.topic}</button>
          </div>
        )}
        <Problem error={apply.error} />
      </td>
      <td><TopicActions t={t} all={all} onDone={onDone} /></td>
    </tr>
  )
}

export function TopicsPage () {
  const topics = useOp<Topic[]>('topics')
  const memories = useOp<{ items: Memory[] }>('memories', { limit: 100_000 })
  const facts = useOp<{ facts: Fact[] }>('facts')
  const items = memories.data?.items ?? []
  const links = useMemo(() => topicLinks(items), [items])
  const reload = (): void => { topics.reload(); memories.reload() }
  return (
    <>
      <h1>Facts &amp; topics</h1>
      <Card title="Topics">
        <Busy when={topics.loading && topics.data === undefined} />
        <Problem error={topics.error} />
        <table>
          <thead><tr><th scope="col">Topic</th><th scope="col">Memories</th><th scope="col">Visibility</th><th scope="col">Change visibility</th><th scope="col">Rename, merge, remove</th></tr></thead>
          <tbody>{(topics.data ?? []).map(t => <TopicRow key={t.topic} t={t} all={topics.data ?? []} items={items} onDone={reload} />)}</tbody>
        </table>
      </Card>
      <Card title="Declare a topic">
        <p>Name a topic in your words; memories join it by meaning, and it is what peers can ask for.</p>
        <DeclareTopic onDone={reload} />
      </Card>
      <Card title="How topics relate">
        <TopicMap topics={topics.data ?? []} links={links} />
        {links.length === 0
          ? <p>No memory belongs to two topics yet.</p>
          : <ul>{links.slice(0, 10).map(r => <li key={`${r.a}-${r.b}`}>{r.a} — {r.b}: {r.n} shared memories</li>)}</ul>}
      </Card>
      <Card title="Facts">
        {facts.error !== undefined
          ? <p>This node does not extract facts yet ({facts.error}).</p>
          : <FactsByPerson facts={facts.data?.facts ?? []} />}
      </Card>
    </>
  )
}
