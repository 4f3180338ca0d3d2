#!/usr/bin/env node
// Runs a lint tool installed in node_modules/.bin (depcruise, knip) with the given arguments. A
// worktree whose node_modules predates the tool (package-lock changed, `npm ci` not rerun) gets a
// loud notice and passes, so a merge in progress is not blocked by an install it has not done;
// CI installs with `npm ci` first, where the tool always runs.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { argv, exit, stderr } from 'node:process'

const [tool, ...args] = argv.slice(2)
const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', tool ?? '')
if (tool === undefined || !existsSync(bin)) {
  stderr.write(`lint: ${tool ?? '(no tool)'} is not installed here; run \`npm ci\` to check this too. Skipped.\n`)
  exit(0)
}
const run = spawnSync(bin, args, { stdio: 'inherit' })
exit(run.status ?? 1)
