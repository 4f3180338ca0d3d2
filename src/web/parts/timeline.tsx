import { useMemo } from 'preact/hooks'
import type { Memory } from '../types.js'

/** Memories per month (per year when the span is long), as bars with their counts as text. */
export function Timeline ({ items }: { items: Memory[] }) {
  const buckets = useMemo(() => {
    const months = new Map<string, number>()
    for (const m of items) {
      const t = m.time ?? m.addedAt
      const key = t.slice(0, 7)
      months.set(key, (months.get(key) ?? 0) + 1)
    }
    let entries = [...months.entries()].sort((a, b) => a[0].localeCompare(b[0]))
    if (entries.length > 60) {
      const years = new Map<string, number>()
      for (const [k, n] of entries) years.set(k.slice(0, 4), (years.get(k.slice(0, 4)) ?? 0) + n)
      entries = [...years.entries()]
    }
    return entries
  }, [items])
  const max = Math.max(1, ...buckets.map(b => b[1]))
  if (buckets.length === 0) return null
  return (
    <figure class="timeline">
      <figcaption>Memories over time</figcaption>
      <ol>
        {buckets.map(([k, n]) => (
          <li key={k} title={`${k}: ${n}`}>
            <span class="bar" style={{ height: `${Math.max(2, Math.round((n / max) * 60))}px` }} />
            <span class="sr-only">{k}: {n} memories</span>
          </li>
        ))}
      </ol>
      <p class="range" aria-hidden="true"><span>{buckets[0]?.[0]}</span><span>{buckets[buckets.length - 1]?.[0]}</span></p>
    </figure>
  )
}
