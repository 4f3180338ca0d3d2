import { useMemo, useState } from 'preact/hooks'
import type { Fact } from '../types.js'
import { MemoryLink, when } from '../ui.js'

/** Facts grouped by person, then category; each links to the memory it was drawn from. */
export function FactsByPerson ({ facts }: { facts: Fact[] }) {
  const [person, setPerson] = useState('')
  const [category, setCategory] = useState('')
  const people = useMemo(() => [...new Set(facts.map(f => f.person))].sort(), [facts])
  const categories = useMemo(() => [...new Set(facts.map(f => f.category))].sort(), [facts])
  const shown = facts.filter(f => (person === '' || f.person === person) && (category === '' || f.category === category))
  const groups = new Map<string, Map<string, Fact[]>>()
  for (const f of shown.slice(0, 500)) {
    const byCat = groups.get(f.person) ?? new Map<string, Fact[]>()
    byCat.set(f.category, [...(byCat.get(f.category) ?? []), f])
    groups.set(f.person, byCat)
  }
  return (
    <>
      <form class="row" role="search" aria-label="Filter facts" onSubmit={(e) => { e.preventDefault() }}>
        <label for="fact-person">Person</label>
        <select id="fact-person" value={person} onChange={(e) => { setPerson((e.target as HTMLSelectElement).value) }}>
          <option value="">anyone</option>
          {people.map(p => <option key={p} value={p}>{p}</option>)}
        </select>
        <label for="fact-category">Category</label>
        <select id="fact-category" value={category} onChange={(e) => { setCategory((e.target as HTMLSelectElement).value) }}>
          <option value="">any</option>
          {categories.map(c => <option key={c} value={c}>{c}</option>)}
        </select>
      </form>
      <p role="status">{shown.length} of {facts.length} facts{shown.length > 500 ? ' (first 500 shown)' : ''}</p>
      {[...groups.entries()].map(([who, byCat]) => (
        <section key={who} aria-label={`Facts about ${who}`}>
          <h3>{who}</h3>
          {[...byCat.entries()].map(([cat, list]) => (
            <div key={cat}>
              <h4>{cat}</h4>
              <ul>{list.map(f => <li key={f.id}>{f.text} <small>{when(f.time)}</small> {f.sources[0] !== undefined && <MemoryLink id={f.sources[0]}>source</MemoryLink>}</li>)}</ul>
            </div>
          ))}
        </section>
      ))}
    </>
  )
}
