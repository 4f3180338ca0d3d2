import { useMemo, useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction, useOp } from '../hooks.js'
import type { AuditEntry, AuditReport } from '../types.js'
import { Busy, Card, MemoryLink, Problem, short, when } from '../ui.js'

function Verify () {
  const [report, setReport] = useState<AuditReport>()
  const verify = useAction(async () => { setReport(await op<AuditReport>('audit.verify')) })
  return (
    <Card title="Chain verification">
      <button type="button" disabled={verify.busy} onClick={() => { void verify.run() }}>Verify the audit chain</button>
      <Problem error={verify.error} />
      {report !== undefined && (
        <p role="status" class={report.ok ? 'ok' : 'error'}>
          {report.ok
            ? `Chain verified: ${report.entries} entries, every hash links to the one before.`
            : `Chain broken at entry ${report.brokenAt ?? '?'}: ${report.reason ?? 'unknown reason'}`}
        </p>
      )}
    </Card>
  )
}

export function AuditPage () {
  const log = useOp<{ entries: AuditEntry[] }>('audit', { limit: 1000 })
  const [kind, setKind] = useState('')
  const [text, setText] = useState('')
  const entries = log.data?.entries ?? []
  const kinds = useMemo(() => [...new Set(entries.map(e => e.kind))].sort(), [entries])
  const shown = entries.filter(e => (kind === '' || e.kind === kind) &&
    (text === '' || JSON.stringify(e).toLowerCase().includes(text.toLowerCase())))
  return (
    <>
      <h1>Audit</h1>
      <Verify />
      <Card title="Log">
        <form class="row" role="search" aria-label="Filter the audit log" onSubmit={(e) => { e.preventDefault() }}>
          <label for="a-kind">Kind</label>
          <select id="a-kind" value={kind} onChange={(e) => { setKind((e.target as HTMLSelectElement).value) }}>
            <option value="">any</option>
            {kinds.map(k => <option key={k} value={k}>{k}</option>)}
          </select>
          <label for="a-text">Contains</label>
          <input id="a-text" type="search" value={text} onInput={(e) => { setText((e.target as HTMLInputElement).value) }} />
          <button type="button" onClick={log.reload}>Refresh</button>
        </form>
        <Busy when={log.loading && log.data === undefined} />
        <Problem error={log.error} />
        <p role="status">{shown.length} of {entries.length} entries</p>
        <div class="scroll-x" tabIndex={0} role="region" aria-label="Audit entries">
          <table>
            <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Decision</th><th scope="col">Peer</th><th scope="col">Code / action</th><th scope="col">Disclosed</th><th scope="col">Detail</th></tr></thead>
            <tbody>
              {shown.map(e => (
                <tr key={e.seq}>
                  <td>{e.seq}</td><td>{when(e.time)}</td><td>{e.kind}</td><td>{e.decision}</td>
                  <td>{e.peer === undefined ? '—' : <code title={e.peer}>{short(e.peer)}</code>}</td>
                  <td>{[e.code, e.action, e.protocol].filter(Boolean).join(' ') || '—'}</td>
                  <td>{(e.items ?? []).map(id => <MemoryLink key={id} id={id} />)}</td>
                  <td>{e.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  )
}
