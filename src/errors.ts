// One error hierarchy for the whole project. Callers match on `code` (stable, documented in README),
// never on message text. Each domain has its own subclass so `instanceof` can narrow too.

export const ErrorCodes = {
  // input: CLI arguments, files, config
  E_USAGE: 'bad command-line usage (unknown command/option, missing argument)',
  E_BAD_INPUT: 'an argument or value is not acceptable',
  E_BAD_CONFIG: 'the configuration file is invalid',
  E_FILE_NOT_FOUND: 'a file or folder named on the command line does not exist',
  E_UNSUPPORTED_FORMAT: 'a file is not in a supported format',
  E_MALFORMED_FILE: 'a file is in a supported format but its content is invalid',
  E_FILE_TOO_LARGE: 'a file is larger than the ingest limit (config memory.maxFileBytes)',
  E_UNREADABLE_FILE: 'a file cannot be read (permissions, I/O error)',
  E_NO_TEXT: 'a document has no text to ingest (e.g. a scanned PDF without a text layer)',
  E_NOT_FOUND: 'the named item does not exist',
  // home, identity, vault
  E_NO_HOME: 'the home folder is not initialised',
  E_HOME_EXISTS: 'the home folder is already initialised',
  E_HOME_LOCKED: 'the home is in use by another process',
  E_BAD_PASSPHRASE: 'the passphrase does not open the keys',
  E_NO_PASSPHRASE: 'no passphrase was given and none can be asked for',
  E_CORRUPT: 'stored data failed its integrity check',
  E_SCHEMA_VERSION: 'the stored data is of a newer or unknown schema version',
  E_CLOSED: 'the component is closed',
  // policy
  E_GRANT_INVALID: 'a grant is malformed',
  E_GRANT_SIGNATURE: 'a grant signature does not verify',
  E_GRANT_EXPIRED: 'a grant has expired',
  E_GRANT_NOT_YET_VALID: 'a grant is not valid yet',
  E_GRANT_AUDIENCE: 'a grant was issued to another peer',
  E_GRANT_REVOKED: 'a grant has been revoked',
  E_GRANT_REPLAY: 'a request nonce was already used',
  E_GRANT_SCOPE: 'the request is outside the grant scope',
  E_GRANT_WIDENS: 'a derived grant is wider than its parent',
  E_CONSENT_PENDING: 'the request waits for the owner\'s consent',
  E_DENIED: 'the owner denied the request',
  E_AUDIT_TAMPERED: 'the audit log hash chain does not verify',
  // network and wire
  E_FRAME_TOO_LARGE: 'a frame exceeds the maximum size',
  E_BAD_MESSAGE: 'a message does not match the protocol schema',
  E_UNSUPPORTED_VERSION: 'the peer speaks an unsupported protocol version',
  E_RATE_LIMITED: 'too many requests from this peer',
  E_TIMEOUT: 'the operation timed out',
  E_PEER_UNREACHABLE: 'the peer could not be reached',
  E_BAD_RECORD: 'a DHT record is unsigned, expired or mismatched',
  E_NODE_NOT_RUNNING: 'no running node answers on the control channel',
  E_NODE_RUNNING: 'the node is already running for this home',
  // model
  E_NO_MODEL: 'no model is configured',
  E_BAD_MODEL: 'a model file is not a loadable GGUF model',
  E_MODEL_FAILED: 'the model failed to produce an answer',
  E_TRAIN_FAILED: 'fine-tuning failed',
  E_INTERNAL: 'an internal error'
} as const

export type ErrorCode = keyof typeof ErrorCodes

export interface SecondMeErrorOptions {
  cause?: unknown
  /** Structured details for --json output; never put secrets here. */
  data?: Record<string, unknown>
}

export class SecondMeError extends Error {
  readonly code: ErrorCode
  readonly data: Record<string, unknown> | undefined

  constructor (code: ErrorCode, message: string, options: SecondMeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.data = options.data
  }

  toJSON (): { code: ErrorCode, message: string, data?: Record<string, unknown> } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data }
  }
}

/** Bad CLI argument, file, or config: the user can fix it. */
export class InputError extends SecondMeError {}
/** Home, identity, keys and the encrypted vault. */
export class StorageError extends SecondMeError {}
/** Grants, consent, audit. */
export class PolicyError extends SecondMeError {}
/** Wire protocols, DHT records, peers. */
export class NetworkError extends SecondMeError {}
/** LLM and embedding backends, training. */
export class ModelError extends SecondMeError {}

export function isSecondMeError (err: unknown): err is SecondMeError {
  return err instanceof SecondMeError
}

/** Process exit status per error family, so scripts can tell usage errors from runtime failures. */
export function exitCodeFor (err: unknown): number {
  if (!(err instanceof SecondMeError)) return 1
  if (err.code === 'E_USAGE') return 64
  if (err instanceof InputError) return 65
  if (err instanceof StorageError) return 66
  if (err instanceof PolicyError) return 77
  if (err instanceof NetworkError) return 69
  return 70
}
