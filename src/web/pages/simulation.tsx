import { useState } from 'preact/hooks'
import { op } from '../api.js'
import { useAction } from '../hooks.js'
import { SimReportView, type Report } from '../parts/sim-report.js'
import { Card, Problem } from '../ui.js'

export function SimulationPage () {
  const [report, setReport] = useState<Report>()
  const run = useAction(async (nodes: number, seed: string) => {
    setReport((await op<{ report: Report }>('simulate', { nodes, seed })).report)
  })
  const openFile = useAction(async (file: File) => {
    const parsed = JSON.parse(await file.text()) as Report | { report: Report }
    setReport('report' in parsed ? parsed.report : parsed)
  })
  return (
    <>
      <h1>Simulation</h1>
      <div class="grid">
        <Card title="Run a small simulation">
          <form class="row" onSubmit={(e) => { e.preventDefault(); const f = new FormData(e.currentTarget); void run.run(Number(f.get('nodes')), String(f.get('seed'))) }}>
            <label for="sim-nodes">Nodes</label>
            <input id="sim-nodes" name="nodes" type="number" min={2} max={20} defaultValue="4" />
            <label for="sim-seed">Seed</label>
            <input id="sim-seed" name="seed" defaultValue="dashboard" />
            <button type="submit" disabled={run.busy}>Run</button>
          </form>
          {run.busy && <p role="status">Running the simulation…</p>}
          <Problem error={run.error} />
        </Card>
        <Card title="Open a report">
          <label for="sim-file">report.json from <code>secondme simulate --out</code></label>
          <input id="sim-file" type="file" accept="application/json,.json" onChange={(e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f !== undefined) void openFile.run(f) }} />
          <Problem error={openFile.error} />
        </Card>
      </div>
      {report !== undefined && <SimReportView report={report} />}
    </>
  )
}
