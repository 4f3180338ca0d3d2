import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

// Where the files a simulation reads by default live: the project root (found by walking up to
// package.json from this module, so it works from src/ under tsx and from dist/), its scenarios/,
// and a LoCoMo data file given by the caller or found next to the project.

export function projectRoot (from = import.meta.dirname): string {
  let dir = resolve(from)
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir
    const up = dirname(dir)
    if (up === dir) return resolve(from)
    dir = up
  }
}

export function defaultScenarioPath (): string {
  return join(projectRoot(), 'scenarios', 'default.json')
}

/**
 * The persona data a door uses when none is given: $SECONDME_PERSONAS, else the LoCoMo dev file
 * in the shared data folder beside the project (when present), else the small persona file shipped
 * in scenarios/ — so a fresh clone works either way.
 */
export function defaultPersonaData (env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SECONDME_PERSONAS
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv)
  const root = projectRoot()
  const shared = join(root, '..', 'shared', 'data', 'locomo', 'dev.json')
  return existsSync(shared) ? shared : join(root, 'scenarios', 'personas.json')
}
