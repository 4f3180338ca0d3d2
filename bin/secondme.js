#!/usr/bin/env node
// Runs the compiled build in dist/ (made by `npm run build`, which `npm ci` runs as `prepare`) when it
// is at least as new as every source file: it starts in about a third of the time. Otherwise it runs
// the TypeScript sources through tsx, so a clone works without a build and an edit is never shadowed
// by a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs'
import process from 'node:process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = join(root, 'dist', 'cli', 'main.js')

/** Newest modification time under dir (ms), or Infinity if a file cannot be read. */
function newestIn (dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs)
  }
  return newest
}

function buildIsCurrent () {
  if (process.env.SECONDME_FROM_SOURCE === '1' || !existsSync(built)) return false
  try {
    return statSync(built).mtimeMs >= newestIn(join(root, 'src'))
  } catch {
    return false
  }
}

if (buildIsCurrent()) {
  await import(built)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
