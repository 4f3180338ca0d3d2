import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction, useOp } from '../hooks.js'
import type { ConsentRequest, Grant, Memory } from '../types.js'
import { Busy, Card, Problem, short, when } from '../ui.js'

/** How many of the owner's memories a scope covers: what approving would let the peer see. */
function covered (items: Memory[], scope: ConsentRequest['scope']): number {
  return items.filter(m => scope.visibility.includes(m.visibility) &&
    (scope.topics === undefined || m.topics.some(t => scope.topics?.includes(t) === true))).length
}

function Request ({ r, items, onDone }: { r: ConsentRequest, items: Memory[] | undefined, onDone: () => void }) {
  const [countering, setCountering] = useState(false)
  const decide = useAction(async (kind: 'approve' | 'deny' | 'counter', form?: HTMLFormElement) => {
    if (kind === 'deny') await op('consent.deny', { id: r.id })
    // yes: the page showed how many memories the grant covers before the owner approved.
    else if (kind === 'approve') await op('consent.approve', { id: r.id, yes: true })
    else {
      const f = new FormData(form)
      await op('consent.approve', { id: r.id, counter: true, visibility: f.getAll('visibility'), durationSec: Number(f.get('hours')) * 3600 })
    }
    onDone()
  })
  const who = r.displayName ?? short(r.peer)
  return (
    <li class="request">
      <p><strong>{who}</strong> (<code title={r.peer}>{short(r.peer)}</code>) asks for <strong>{r.actions.join(', ')}</strong> on {r.scope.visibility.join(' + ')} memories
        {r.scope.topics === undefined ? '' : ` about ${r.scope.topics.join(', ')}`} for {Math.round(r.durationSec / 3600)} h: “{r.purpose}”.</p>
      <p>It would cover <strong>{items === undefined ? '…' : covered(items, r.scope)}</strong> of your memories. Asked {when(r.createdAt)}.</p>
      <div class="row" role="group" aria-label={`Decide the request of ${who}`}>
        <button type="button" disabled={decide.busy} onClick={() => { void decide.run('approve') }}>Approve</button>
        <button type="button" disabled={decide.busy} onClick={() => { void decide.run('deny') }}>Deny</button>
        <button type="button" aria-expanded={countering} onClick={() => { setCountering(!countering) }}>Counter…</button>
      </div>
      {countering && (
        <form class="row" aria-label="Counter-offer" onSubmit={(e) => { e.preventDefault(); void decide.run('counter', e.currentTarget) }}>
          <fieldset>
            <legend>Visibility offered</legend>
            {r.scope.visibility.map(v => <label key={v}><input type="checkbox" name="visibility" value={v} defaultChecked={v !== 'shareable' || r.scope.visibility.length === 1} /> {v}</label>)}
          </fieldset>
          <label for={`hours-${r.id}`}>Hours</label>
          <input id={`hours-${r.id}`} name="hours" type="number" min={1} max={Math.max(1, Math.round(r.durationSec / 3600))} defaultValue={String(Math.max(1, Math.round(r.durationSec / 7200)))} />
          <button type="submit" disabled={decide.busy}>Send counter-offer</button>
        </form>
      )}
      <Problem error={decide.error} />
    </li>
  )
}

function Grants ({ title, list, onRevoke }: { title: string, list: Grant[], onRevoke?: (id: string) => void }) {
  return (
    <Card title={title}>
      {list.length === 0
        ? <p>None.</p>
        : (
          <table>
            <thead><tr><th scope="col">Id</th><th scope="col">Peer</th><th scope="col">Actions</th><th scope="col">Scope</th><th scope="col">Expires</th><th scope="col">Status</th>{onRevoke !== undefined && <th scope="col"><span class="sr-only">Revoke</span></th>}</tr></thead>
            <tbody>
              {list.map(g => (
                <tr key={g.id}>
                  <td><code>{short(g.id, 10)}</code></td><td><code title={g.peer}>{short(g.peer)}</code></td><td>{g.actions.join(', ')}</td>
                  <td>{g.visibility.join(' + ')}{g.topics === undefined ? '' : ` · ${g.topics.join(', ')}`}</td><td>{when(g.expires)}</td><td>{g.status}</td>
                  {onRevoke !== undefined && <td>{g.status === 'active' && <button type="button" aria-label={`Revoke grant ${short(g.id, 10)}`} onClick={() => { onRevoke(g.id) }}>Revoke</button>}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          )}
    </Card>
  )
}

export function ConsentPage () {
  const pending = useOp<{ requests: ConsentRequest[] }>('consent', { state: 'pending' })
  const grants = useOp<{ issued: Grant[], received: Grant[] }>('grants')
  const memories = useOp<{ items: Memory[] }>('memories', { limit: 100_000 })
  const revoke = useAction(async (id: string) => { await op('revoke', { id }); grants.reload() })
  const refresh = (): void => { pending.reload(); grants.reload() }
  const requests = pending.data?.requests ?? []
  return (
    <>
      <h1>Consent &amp; grants</h1>
      <Card title="Pending requests">
        <Busy when={pending.loading && pending.data === undefined} />
        <Problem error={pending.error} />
        {requests.length === 0 && !pending.loading && <p>No request is waiting.</p>}
        <ul class="plain">{requests.map(r => <Request key={r.id} r={r} items={memories.data?.items} onDone={refresh} />)}</ul>
        <button type="button" onClick={refresh}>Refresh</button>
      </Card>
      <Problem error={grants.error ?? revoke.error} />
      <Grants title="Grants you issued" list={grants.data?.issued ?? []} onRevoke={(id) => { void revoke.run(id) }} />
      <Grants title="Grants you received" list={grants.data?.received ?? []} />
    </>
  )
}
