import { InputError } from '../errors.js'
import { VISIBILITIES, type Visibility } from '../scope.js'

// Parsing of command-line values shared by every command: one message and one code (E_USAGE) per
// kind of bad value, whichever command it was given to.

/** A whole number from a flag; `min` is 1 for counts that cannot be zero. */
export function intArg (text: string, name: string, min = 0): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min) throw new InputError('E_USAGE', `${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''} (got "${text}")`)
  return n
}

/** A comma-separated list ("a, b,c"), empty items dropped. */
export function listArg (text: string): string[] {
  return text.split(',').map(s => s.trim()).filter(s => s !== '')
}

export function visibilityArg (v: string): Visibility {
  const found = VISIBILITIES.find(x => x === v)
  if (found === undefined) throw new InputError('E_USAGE', `visibility must be one of ${VISIBILITIES.join(', ')} (got "${v}")`)
  return found
}

/** A comma-separated list of visibilities, at least one. */
export function visibilitiesArg (list: string): Visibility[] {
  const parts = listArg(list).map(visibilityArg)
  if (parts.length === 0) throw new InputError('E_USAGE', '--visibility needs at least one value')
  return parts
}
