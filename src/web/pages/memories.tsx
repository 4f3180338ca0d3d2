import type { RefObject } from 'preact'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { op } from '../api.js'
import { AddMemory } from '../parts/memory-add.js'
import { BulkVisibility } from '../parts/memory-bulk.js'
import { MemoryDetail } from '../parts/memory-detail.js'
import { Timeline } from '../parts/timeline.js'
import { VirtualList } from '../parts/virtual-list.js'
import { useOp } from '../hooks.js'
import { VISIBILITIES, type Fact, type Hit, type Memory } from '../types.js'
import { Busy, type PageProps, Problem, when } from '../ui.js'

interface Filters { topic: string, speaker: string, source: string, visibility: string, from: string, to: string }
const NO_FILTERS: Filters = { topic: '', speaker: '', source: '', visibility: '', from: '', to: '' }
const SEARCH_DELAY_MS = 40
const FIRST_PAGE = 300

function matches (m: Memory, f: Filters): boolean {
  const t = (m.time ?? m.addedAt).slice(0, 10)
  return (f.topic === '' || m.topics.includes(f.topic)) &&
    (f.speaker === '' || m.speaker === f.speaker) &&
    (f.source === '' || m.source === f.source) &&
    (f.visibility === '' || m.visibility === f.visibility) &&
    (f.from === '' || t >= f.from) && (f.to === '' || t <= f.to)
}

function distinct (items: Memory[], pick: (m: Memory) => Array<string | undefined>): string[] {
  const s = new Set<string>()
  for (const m of items) for (const v of pick(m)) if (v !== undefined) s.add(v)
  return [...s].sort()
}

/** Search as you type: each key restarts a short delay, and an older search in flight is aborted. */
function useSearch (query: string): { hits: Hit[] | undefined, shownFor: string, error: string | undefined } {
  const [hits, setHits] = useState<{ for: string, hits: Hit[] }>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    const q = query.trim()
    if (q === '') { setHits(undefined); return }
    const ctl = new AbortController()
    const timer = setTimeout(() => {
      op<Hit[]>('recall', { query: q, k: 100 }, ctl.signal)
        .then(h => { setHits({ for: q, hits: h }); setError(undefined) })
        .catch((e: unknown) => { if (!ctl.signal.aborted) setError(e instanceof Error ? e.message : String(e)) })
    }, SEARCH_DELAY_MS)
    return () => { clearTimeout(timer); ctl.abort() }
  }, [query])
  return { hits: hits?.hits, shownFor: hits?.for ?? '', error }
}

function Select ({ id, label, value, options, onChange }: { id: string, label: string, value: string, options: string[], onChange: (v: string) => void }) {
  return (
    <span class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => { onChange((e.target as HTMLSelectElement).value) }}>
        <option value="">any</option>
        {options.map(o => <option key={o} value={o}>{o}</option>)}
      </select>
    </span>
  )
}

function Row ({ m, selected, onOpen }: { m: Memory, selected: boolean, onOpen: (id: string) => void }) {
  return (
    <button type="button" class={selected ? 'mem selected' : 'mem'} aria-pressed={selected} onClick={() => { onOpen(m.id) }}>
      <span class="mem-text">{m.text}</span>
      <span class="mem-meta">{when(m.time)} · {m.speaker ?? m.source} · {m.visibility}</span>
    </button>
  )
}

interface FilterBarProps {
  q: string
  setQ: (q: string) => void
  f: Filters
  setF: (f: Filters) => void
  options: { topics: string[], speakers: string[], sources: string[] }
  searchBox: RefObject<HTMLInputElement>
}

function FilterBar ({ q, setQ, f, setF, options, searchBox }: FilterBarProps) {
  const set = (k: keyof Filters) => (v: string) => { setF({ ...f, [k]: v }) }
  return (
    <form role="search" class="filters" aria-label="Search and filter memories" onSubmit={(e) => { e.preventDefault() }}>
      <span class="field grow">
        <label for="q">Search</label>
        <input id="q" ref={searchBox} type="search" value={q} autocomplete="off" onInput={(e) => { setQ((e.target as HTMLInputElement).value) }} />
      </span>
      <Select id="f-topic" label="Topic" value={f.topic} options={options.topics} onChange={set('topic')} />
      <Select id="f-speaker" label="Person" value={f.speaker} options={options.speakers} onChange={set('speaker')} />
      <Select id="f-source" label="Source" value={f.source} options={options.sources} onChange={set('source')} />
      <Select id="f-vis" label="Visibility" value={f.visibility} options={VISIBILITIES} onChange={set('visibility')} />
      <span class="field"><label for="f-from">From</label><input id="f-from" type="date" value={f.from} onChange={(e) => { set('from')((e.target as HTMLInputElement).value) }} /></span>
      <span class="field"><label for="f-to">To</label><input id="f-to" type="date" value={f.to} onChange={(e) => { set('to')((e.target as HTMLInputElement).value) }} /></span>
    </form>
  )
}

export function MemoriesPage ({ query }: PageProps) {
  const [all, setAll] = useState<Memory[]>()
  const [loadError, setLoadError] = useState<string>()
  const [tick, setTick] = useState(0)
  const [q, setQ] = useState('')
  const [f, setF] = useState<Filters>(NO_FILTERS)
  const [openId, setOpenId] = useState<string | undefined>(query.get('id') ?? undefined)
  const search = useSearch(q)
  const searchBox = useRef<HTMLInputElement>(null)
  useEffect(() => { setOpenId(query.get('id') ?? undefined) }, [query])
  const [total, setTotal] = useState(0)
  useEffect(() => {
    // A first screenful at once, then the rest in one request: the page is usable while 10k+ load.
    void (async () => {
      const first = await op<{ total: number, items: Memory[] }>('memories', { limit: FIRST_PAGE })
      setAll(first.items)
      setTotal(first.total)
      if (first.total <= first.items.length) return
      const rest = await op<{ total: number, items: Memory[] }>('memories', { limit: 100_000, offset: first.items.length })
      setAll([...first.items, ...rest.items])
      setTotal(first.items.length + rest.items.length)
    })().catch((e: unknown) => { setLoadError(e instanceof Error ? e.message : String(e)) })
  }, [tick])
  const items = all ?? []
  const byId = useMemo(() => new Map(items.map(m => [m.id, m])), [items])
  const options = useMemo(() => ({
    topics: distinct(items, m => m.topics), speakers: distinct(items, m => [m.speaker]), sources: distinct(items, m => [m.source])
  }), [items])
  const shown = useMemo(() => {
    // A hit no longer in the list (just forgotten) is not shown.
    const base = search.hits === undefined ? items : search.hits.flatMap(h => byId.get(h.id) ?? [])
    return base.filter(m => matches(m, f))
  }, [items, byId, search.hits, f])
  const open = openId === undefined ? undefined : byId.get(openId)
  const allFacts = useOp<{ facts: Fact[] }>('facts')
  const facts = useMemo(() => open === undefined ? [] : (allFacts.data?.facts ?? []).filter(x => x.sources.includes(open.id)), [allFacts.data, open])
  const topicOnly = q.trim() === '' && f.topic !== '' && JSON.stringify({ ...f, topic: '' }) === JSON.stringify(NO_FILTERS) ? f.topic : undefined
  const replace = (m: Memory): void => { setAll(items.map(x => x.id === m.id ? m : x)) }
  const drop = (id: string): void => { setAll(items.filter(x => x.id !== id)); setOpenId(undefined); searchBox.current?.focus() }
  return (
    <>
      <h1>Memories</h1>
      <Problem error={loadError ?? search.error} />
      <Busy when={all === undefined && loadError === undefined} label="Loading memories…" />
      <FilterBar q={q} setQ={setQ} f={f} setF={setF} options={options} searchBox={searchBox} />
      <p role="status" id="shown-count" data-results-for={search.shownFor} data-loaded={items.length} data-total={total}>
        {shown.length} of {items.length} memories{search.hits === undefined ? '' : ' match the search'}{items.length < total ? ` (loading all ${total}…)` : ''}
      </p>
      <div class="split">
        <div>
          <VirtualList items={shown} rowHeight={56} label="Memories" keyOf={m => m.id} render={m => <Row m={m} selected={m.id === openId} onOpen={setOpenId} />} />
          <Timeline items={shown} />
        </div>
        <div>
          {open !== undefined && <MemoryDetail key={open.id} item={open} facts={facts} onChanged={replace} onForgotten={drop} />}
          <BulkVisibility shown={shown} topic={topicOnly} onDone={() => { setTick(t => t + 1) }} />
          <AddMemory onAdded={() => { setTick(t => t + 1) }} />
        </div>
      </div>
    </>
  )
}
