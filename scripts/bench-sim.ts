// npm run bench:sim [-- --sweep 10,25,50,100 --seed S --out dir]
// How time and memory of a full default-scenario simulation grow with the number of nodes
// (one process, memory transport). Each size runs after the previous one in the same process.
import '../src/polyfill.js'
import { parseArgs } from 'node:util'
import { runSimulate, SimulateParams } from '../src/api/sim.js'
import { formatSweep } from '../src/cli/commands/sim.js'
import type { SimSummary } from '../src/sim/report.js'

const { values } = parseArgs({
  options: {
    sweep: { type: 'string', default: '10,25,50,100' },
    seed: { type: 'string', default: 'bench' },
    scenario: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' }
  }
})

const rows: SimSummary[] = []
for (const nodes of values.sweep.split(',').map(Number)) {
  const t0 = Date.now()
  const { report, files } = await runSimulate(SimulateParams.parse({
    nodes,
    seed: values.seed,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.data === undefined ? {} : { data: values.data }),
    ...(values.out === undefined ? {} : { out: `${values.out}/n${nodes}` })
  }))
  rows.push(report.summary)
  console.log(`${nodes} nodes done in ${((Date.now() - t0) / 1000).toFixed(1)} s${files === undefined ? '' : ` (${files.html})`}`)
}
console.log(formatSweep(rows))
