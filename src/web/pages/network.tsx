import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction, useOp } from '../hooks.js'
import { Conversations } from '../parts/conversations.js'
import { PeerGraph } from '../parts/peer-graph.js'
import type { Grant, NetStatus } from '../types.js'
import { Card, Problem, short } from '../ui.js'

interface Found { peerId: string, displayName: string | null, bio: string | null, topics: string[] }
interface Known { peerId: string, displayName: string | null, topics: string[], connected: boolean }
interface Line { from: 'you' | 'peer', text: string, cited?: string[] }

function Find ({ onPick }: { onPick: (peer: string) => void }) {
  const [found, setFound] = useState<Found[]>()
  const [note, setNote] = useState('')
  const find = useAction(async (topic: string) => { setFound((await op<{ peers: Found[] }>('find', { topic })).peers) })
  const intro = useAction(async (peer: string) => {
    const d = await op<{ status: string, ticket?: string, code?: string }>('introduce', { peer })
    setNote(`Introduction to ${short(peer)}: ${d.status}${d.code === undefined ? '' : ` (${d.code})`}`)
  })
  return (
    <Card title="Find peers by topic">
      <form class="row" role="search" aria-label="Find peers" onSubmit={(e) => { e.preventDefault(); void find.run(String(new FormData(e.currentTarget).get('topic'))) }}>
        <label for="find-topic">Topic</label>
        <input id="find-topic" name="topic" required />
        <button type="submit" disabled={find.busy}>Find</button>
      </form>
      <Problem error={find.error ?? intro.error} />
      {found !== undefined && (found.length === 0 ? <p>Nobody announced that topic.</p> : (
        <ul class="plain">
          {found.map(p => (
            <li key={p.peerId} class="request">
              <strong>{p.displayName ?? short(p.peerId)}</strong> <code>{short(p.peerId)}</code>
              <p>{p.bio ?? 'No public bio.'}</p>
              <p>Topics: {p.topics.join(', ') || '—'}</p>
              <button type="button" onClick={() => { void intro.run(p.peerId) }}>Ask for an introduction</button>
              <button type="button" onClick={() => { onPick(p.peerId) }}>Talk to their agent</button>
            </li>
          ))}
        </ul>
      ))}
      {note !== '' && <p role="status">{note}</p>}
    </Card>
  )
}

function Converse ({ peer }: { peer: string }) {
  const [lines, setLines] = useState<Line[]>([])
  const [conversation, setConversation] = useState<string>()
  const say = useAction(async (text: string) => {
    setLines(l => [...l, { from: 'you', text }])
    const r = await op<{ conversation: string, text: string, cited: string[] }>('converse', { peer, message: text, ...(conversation === undefined ? {} : { conversation, turn: lines.filter(l => l.from === 'you').length }) })
    setConversation(r.conversation)
    setLines(l => [...l, { from: 'peer', text: r.text, cited: r.cited }])
  })
  return (
    <Card title={`Conversation with ${short(peer)}`} id="converse">
      <ol class="chat" aria-live="polite">
        {lines.map((l, i) => (
          <li key={i}><strong>{l.from === 'you' ? 'You' : 'Their agent'}:</strong> {l.text}
            {l.cited !== undefined && l.cited.length > 0 && <small> (disclosed to you: {l.cited.length} of their memories)</small>}
          </li>
        ))}
      </ol>
      <form class="row" onSubmit={(e) => { e.preventDefault(); const input = e.currentTarget.elements.namedItem('msg') as HTMLInputElement; const t = input.value.trim(); if (t !== '') { input.value = ''; void say.run(t) } }}>
        <label for="msg">Message</label>
        <input id="msg" name="msg" class="grow" autocomplete="off" />
        <button type="submit" disabled={say.busy}>Send</button>
      </form>
      <Problem error={say.error} />
    </Card>
  )
}

export function NetworkPage () {
  const status = useOp<NetStatus>('net.status')
  const peers = useOp<{ peers: Known[] }>('peers')
  const grants = useOp<{ issued: Grant[], received: Grant[] }>('grants')
  const [peer, setPeer] = useState<string>()
  const known = peers.data?.peers ?? []
  return (
    <>
      <h1>Network</h1>
      <Problem error={status.error} />
      <div class="grid">
        <Card title="Peers and grants">
          <PeerGraph self={status.data?.peerId ?? 'this node'} peers={known} grants={[...(grants.data?.issued ?? []), ...(grants.data?.received ?? [])]} />
          <ul class="plain">
            {known.map(p => (
              <li key={p.peerId}>
                {p.displayName ?? short(p.peerId)} {p.connected ? '(connected)' : ''} — {p.topics.join(', ') || 'no topics'}{' '}
                <button type="button" onClick={() => { setPeer(p.peerId) }} aria-label={`Talk to the agent of ${p.displayName ?? p.peerId}`}>Talk</button>
              </li>
            ))}
          </ul>
        </Card>
        <Find onPick={setPeer} />
      </div>
      {peer !== undefined && <Converse key={peer} peer={peer} />}
      <Conversations names={new Map(known.filter(p => p.displayName !== null).map(p => [p.peerId, p.displayName ?? p.peerId]))} />
      <p class="hint">Disclosures to and from peers are in the <a href="#/audit">audit log</a>.</p>
    </>
  )
}
