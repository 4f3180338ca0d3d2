import { useOp } from '../hooks.js'
import type { Bio, ConsentRequest, Fact, NetStatus, Status } from '../types.js'
import { Busy, bytes, Card, MemoryLink, Problem, short, when } from '../ui.js'

function Node () {
  const status = useOp<Status>('status')
  const net = useOp<NetStatus>('net.status')
  const s = status.data
  return (
    <Card title="Node">
      <Busy when={status.loading && s === undefined} />
      <Problem error={status.error} />
      {s !== undefined && (
        <dl class="facts">
          <dt>Name</dt><dd>{s.displayName ?? '—'}</dd>
          <dt>Peer id</dt><dd><code>{s.peerId}</code></dd>
          <dt>Disk</dt><dd>{bytes(s.diskBytes)}</dd>
          <dt>Network</dt>
          <dd>{net.data === undefined ? (net.error ?? 'checking…') : `${net.data.connected} peer(s) connected; last announced ${when(net.data.lastAnnounce ?? undefined)}`}</dd>
          {net.data !== undefined && <><dt>Addresses</dt><dd><ul class="plain">{net.data.addresses.map(a => <li key={a}><code>{a}</code></li>)}</ul></dd></>}
        </dl>
      )}
      {s !== undefined && (
        <table>
          <caption>Stores</caption>
          <thead><tr><th scope="col">Store</th><th scope="col">Items</th><th scope="col">Size</th></tr></thead>
          <tbody>{Object.entries(s.stores).map(([name, v]) => <tr key={name}><td>{name}</td><td>{v.count}</td><td>{bytes(v.bytes)}</td></tr>)}</tbody>
        </table>
      )}
    </Card>
  )
}

function BioCard () {
  const bio = useOp<Bio>('bio')
  // With L1 facts the bio cites fact ids: link each to the memory the fact was drawn from.
  const facts = useOp<{ facts: Fact[] }>('facts')
  const sourceOf = new Map((facts.data?.facts ?? []).map(f => [f.id, f.sources[0] ?? f.id]))
  return (
    <Card title="Bio">
      <Busy when={bio.loading && bio.data === undefined} />
      <Problem error={bio.error} />
      {bio.data !== undefined && (
        <>
          <p class="bio">{bio.data.summary}</p>
          {bio.data.facts.length > 0 && (
            <ol class="cited">
              {bio.data.facts.map(f => <li key={f.id}>{f.text} <MemoryLink id={sourceOf.get(f.id) ?? f.id}>source</MemoryLink></li>)}
            </ol>
          )}
        </>
      )}
    </Card>
  )
}

function Pending () {
  const consent = useOp<{ requests: ConsentRequest[] }>('consent', { state: 'pending' })
  const list = consent.data?.requests ?? []
  return (
    <Card title="Pending consent requests">
      <Problem error={consent.error} />
      {list.length === 0
        ? <p>{consent.loading ? 'Loading…' : 'None.'}</p>
        : <ul>{list.map(r => <li key={r.id}>{r.displayName ?? short(r.peer)} asks for {r.actions.join(', ')} — <a href="#/consent">decide</a></li>)}</ul>}
    </Card>
  )
}

export function HomePage () {
  return (
    <>
      <h1>Home</h1>
      <div class="grid">
        <BioCard />
        <Node />
        <Pending />
      </div>
    </>
  )
}
