import { InputError } from '../errors.js'

// The passphrase is all that protects a stolen home (scrypt slows guessing, it does not stop it),
// so `init` and `passwd` refuse the obviously weak. Not a strength meter: a floor.

export const MIN_PASSPHRASE_LENGTH = 8
const MIN_DISTINCT = 4
const COMMON = new Set(['password', 'passphrase', '12345678', '123456789', '1234567890', 'qwertyui', 'qwertyuiop', 'iloveyou', 'secondme', 'letmein1', 'abcdefgh'])

/** Throws E_BAD_INPUT (exit 65) for a passphrase below the floor; says why, never echoes it. */
export function assertPassphraseStrength (passphrase: string): void {
  const reason = weakness(passphrase)
  if (reason !== undefined) throw new InputError('E_BAD_INPUT', `passphrase too weak: ${reason}`)
}

function weakness (passphrase: string): string | undefined {
  const chars = [...passphrase]
  if (chars.length < MIN_PASSPHRASE_LENGTH) return `use at least ${MIN_PASSPHRASE_LENGTH} characters (a few words are best)`
  if (new Set(chars).size < MIN_DISTINCT) return `use at least ${MIN_DISTINCT} different characters`
  if (COMMON.has(passphrase.toLowerCase())) return 'it is one of the most common passwords'
  return undefined
}
