import { enable, logger, type Logger } from '@libp2p/logger'
import { isSecondMeError } from './errors.js'

// One logger per component, off by default: `DEBUG=secondme:*` (or `secondme --verbose`) turns them
// on, `DEBUG=secondme:net` one of them; libp2p's own `DEBUG=libp2p:*` works alongside. Lines go to
// stderr. What may be logged: op names, codes, ids, counts, timings, peer ids. Never memory text,
// a passphrase, a key or a grant token — so an error is logged by `errText`, never as the object.

export type Log = Logger

export function log (component: string): Log {
  return logger(`secondme:${component}`)
}

/** `--verbose`: every secondme component on, keeping whatever $DEBUG already enabled. */
export function enableVerbose (env: NodeJS.ProcessEnv = process.env): void {
  enable([env.DEBUG, 'secondme:*'].filter(s => s !== undefined && s !== '').join(','))
}

/**
 * An error as a log line may show it: our errors by code (their messages can quote user input),
 * anything else by class and message (libp2p, LevelDB and Node errors name no user content).
 */
export function errText (err: unknown): string {
  if (isSecondMeError(err)) return err.code
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 200)}`
  return typeof err
}

/**
 * For a promise whose rejection is delivered elsewhere (a queue's tail, whose run's caller
 * receives the error): waiting on it must not throw again, and there is nothing new to log.
 */
export function deliveredElsewhere (): void {}
