import type { Grant } from '../types.js'
import { short } from '../ui.js'

interface Peer { peerId: string, displayName: string | null, connected: boolean }

/** This node in the middle, known peers around it; a line per grant (solid: issued, dashed: received). */
export function PeerGraph ({ self, peers, grants }: { self: string, peers: Peer[], grants: Grant[] }) {
  const ids = [...new Set([...peers.map(p => p.peerId), ...grants.map(g => g.peer)])]
  const names = new Map(peers.map(p => [p.peerId, p.displayName]))
  const R = 120
  const at = (i: number): { x: number, y: number } => ({ x: 160 + R * Math.cos((2 * Math.PI * i) / Math.max(1, ids.length)), y: 150 + R * Math.sin((2 * Math.PI * i) / Math.max(1, ids.length)) })
  const live = grants.filter(g => g.status === 'active')
  const description = `${ids.length} peers; ${live.filter(g => g.direction === 'issued').length} active grants issued, ${live.filter(g => g.direction === 'received').length} received.`
  return (
    <figure class="graph">
      <svg viewBox="0 0 320 300" role="img" aria-label={`Graph of peers and grants: ${description}`}>
        {live.map(g => {
          const p = at(ids.indexOf(g.peer))
          return <line key={g.id} x1={160} y1={150} x2={p.x} y2={p.y} class={g.direction === 'issued' ? 'edge issued' : 'edge received'} />
        })}
        <circle cx={160} cy={150} r={14} class="node self" />
        <text x={160} y={178} text-anchor="middle">{short(self, 8)} (you)</text>
        {ids.map((id, i) => {
          const p = at(i)
          return (
            <g key={id}>
              <circle cx={p.x} cy={p.y} r={10} class={peers.find(x => x.peerId === id)?.connected === true ? 'node on' : 'node'} />
              <text x={p.x} y={p.y + 24} text-anchor="middle">{names.get(id) ?? short(id, 8)}</text>
            </g>
          )
        })}
      </svg>
      <figcaption>{description} Solid lines: grants you issued; dashed: grants you hold.</figcaption>
    </figure>
  )
}
