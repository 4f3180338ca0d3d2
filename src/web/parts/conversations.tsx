import { useOp } from '../hooks.js'
import { Card, MemoryLink, Problem, short, when } from '../ui.js'

interface Turn { from: 'self' | 'peer', text: string, at: number, memories?: string[] }
interface Conversation { id: string, peer: string, direction: 'in' | 'out', startedAt: number, updatedAt: number, turns: Turn[] }

/** What a turn disclosed: our memories a peer's agent was shown, or the peer's memories cited to us. */
function Disclosed ({ turn, direction }: { turn: Turn, direction: Conversation['direction'] }) {
  const ids = turn.memories ?? []
  if (ids.length === 0) return null
  if (direction === 'out') return <small> (their agent cited {ids.length} of their memories)</small>
  return (
    <small> (shown to the peer: {ids.map((id, i) => <span key={id}>{i > 0 && ', '}<MemoryLink id={id} /></span>)})</small>
  )
}

function Transcript ({ c, names }: { c: Conversation, names: Map<string, string> }) {
  const who = names.get(c.peer) ?? short(c.peer)
  const speaker = (t: Turn): string => t.from === 'self' ? (c.direction === 'out' ? 'You' : 'Your agent') : `${who}'s agent`
  return (
    <li class="request">
      <details>
        <summary>
          {c.direction === 'in' ? `${who}'s agent asked yours` : `You asked ${who}'s agent`} · {c.turns.length / 2} question(s) · last {when(c.updatedAt)}
        </summary>
        <ol class="chat">
          {c.turns.map((t, i) => <li key={i}><strong>{speaker(t)}:</strong> {t.text}<Disclosed turn={t} direction={c.direction} /></li>)}
        </ol>
      </details>
    </li>
  )
}

/** Transcripts of conversations between agents, both ways, with what each answer disclosed. */
export function Conversations ({ names }: { names: Map<string, string> }) {
  const list = useOp<{ conversations: Conversation[] }>('conversations', { limit: 50 })
  const all = list.data?.conversations ?? []
  return (
    <Card title="Conversations between agents" id="conversations">
      <Problem error={list.error} />
      {all.length === 0 ? <p>No conversations yet.</p> : <ul class="plain">{all.map(c => <Transcript key={`${c.direction}/${c.peer}/${c.id}`} c={c} names={names} />)}</ul>}
      <button type="button" onClick={list.reload} disabled={list.loading}>Refresh</button>
    </Card>
  )
}
