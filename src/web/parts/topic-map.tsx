import type { Memory, Topic } from '../types.js'

export interface TopicLink { a: string, b: string, n: number }

/** Pairs of topics that share memories, strongest first: how the topics relate. */
export function topicLinks (items: readonly Memory[], max = 30): TopicLink[] {
  const pairs = new Map<string, TopicLink>()
  for (const m of items) {
    const ts = [...m.topics].sort()
    for (let i = 0; i < ts.length; i++) {
      for (let j = i + 1; j < ts.length; j++) {
        const a = ts[i] ?? ''
        const b = ts[j] ?? ''
        const key = `${a}\u0000${b}`
        const link = pairs.get(key) ?? { a, b, n: 0 }
        link.n++
        pairs.set(key, link)
      }
    }
  }
  return [...pairs.values()].sort((x, y) => y.n - x.n).slice(0, max)
}

const W = 420
const H = 320

/**
 * Topics on a ring, each a circle sized by its memories; a line between two topics that share
 * memories, thicker the more they share. Drawn as SVG in the page (no script, no outside asset).
 */
export function TopicMap ({ topics, links }: { topics: readonly Topic[], links: readonly TopicLink[] }) {
  const shown = [...topics].sort((x, y) => y.count - x.count).slice(0, 24)
  const index = new Map(shown.map((t, i) => [t.topic, i]))
  const biggest = Math.max(1, ...shown.map(t => t.count))
  const at = (i: number): { x: number, y: number } => {
    const angle = (2 * Math.PI * i) / Math.max(1, shown.length) - Math.PI / 2
    return { x: W / 2 + 130 * Math.cos(angle), y: H / 2 + 115 * Math.sin(angle) }
  }
  const drawn = links.filter(l => index.has(l.a) && index.has(l.b))
  const strongest = Math.max(1, ...drawn.map(l => l.n))
  const description = `${shown.length} topics${topics.length > shown.length ? ` (the ${shown.length} largest of ${topics.length})` : ''}, ${drawn.length} pairs sharing memories`
  return (
    <figure class="graph">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Map of topics: ${description}`}>
        {drawn.map(l => {
          const p = at(index.get(l.a) ?? 0)
          const q = at(index.get(l.b) ?? 0)
          return <line key={`${l.a}-${l.b}`} x1={p.x} y1={p.y} x2={q.x} y2={q.y} class="edge issued" stroke-width={1 + 5 * l.n / strongest}><title>{`${l.a} — ${l.b}: ${l.n} shared`}</title></line>
        })}
        {shown.map((t, i) => {
          const p = at(i)
          return (
            <g key={t.topic}>
              <circle cx={p.x} cy={p.y} r={5 + 17 * Math.sqrt(t.count / biggest)} class={t.declared ? 'node self' : 'node on'}><title>{`${t.topic}: ${t.count} memories, ${t.visibility}`}</title></circle>
              <text x={p.x} y={p.y + 30} text-anchor="middle">{t.topic}</text>
            </g>
          )
        })}
      </svg>
      <figcaption>{description}. Circle size: memories in the topic; filled dark: topics you declared; line width: memories two topics share.</figcaption>
    </figure>
  )
}
