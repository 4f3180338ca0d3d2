// One error table for the whole project: every code has one family, and the family decides the
// error's class and the process exit status. Callers match on `code` (stable, documented in README
// from this table), never on message text; the classes let `instanceof` narrow too.

/** Exit status per family, so scripts can tell usage errors from runtime failures. */
export const ERROR_FAMILIES = {
  usage: { exit: 64, about: 'bad command-line usage' },
  input: { exit: 65, about: 'bad input: an argument, file or config the user can fix' },
  storage: { exit: 66, about: 'home, identity, keys, the encrypted vault, closed components' },
  network: { exit: 69, about: 'wire protocols, DHT records, peers, the running node' },
  model: { exit: 70, about: 'LLM and embedding backends, training' },
  policy: { exit: 77, about: 'grants, consent, audit' },
  internal: { exit: 70, about: 'a bug: an error no other code describes' }
} as const
export type ErrorFamily = keyof typeof ERROR_FAMILIES

export const ERRORS = {
  E_USAGE: { family: 'usage', meaning: 'bad command-line usage (unknown command/option, missing argument)' },
  E_BAD_INPUT: { family: 'input', meaning: 'an argument or value is not acceptable' },
  E_BAD_CONFIG: { family: 'input', meaning: 'the configuration file is invalid' },
  E_FILE_NOT_FOUND: { family: 'input', meaning: 'a file or folder named on the command line does not exist' },
  E_UNSUPPORTED_FORMAT: { family: 'input', meaning: 'a file is not in a supported format' },
  E_MALFORMED_FILE: { family: 'input', meaning: 'a file is in a supported format but its content is invalid' },
  E_FILE_TOO_LARGE: { family: 'input', meaning: 'a file is larger than the ingest limit (config memory.maxFileBytes)' },
  E_UNREADABLE_FILE: { family: 'input', meaning: 'a file cannot be read (permissions, I/O error)' },
  E_NO_TEXT: { family: 'input', meaning: 'a document has no text to ingest (e.g. a scanned PDF without a text layer)' },
  E_NOT_FOUND: { family: 'input', meaning: 'the named item does not exist' },
  E_NO_HOME: { family: 'storage', meaning: 'the home folder is not initialised' },
  E_HOME_EXISTS: { family: 'storage', meaning: 'the home folder is already initialised' },
  E_HOME_LOCKED: { family: 'storage', meaning: 'the home is in use by another process' },
  E_BAD_PASSPHRASE: { family: 'storage', meaning: 'the passphrase does not open the keys' },
  E_NO_PASSPHRASE: { family: 'input', meaning: 'no passphrase was given and none can be asked for' },
  E_CORRUPT: { family: 'storage', meaning: 'stored data failed its integrity check' },
  E_SCHEMA_VERSION: { family: 'storage', meaning: 'the stored data is of a newer or unknown schema version' },
  E_CLOSED: { family: 'storage', meaning: 'the component is closed' },
  E_GRANT_INVALID: { family: 'policy', meaning: 'a grant is malformed' },
  E_GRANT_SIGNATURE: { family: 'policy', meaning: 'a grant signature does not verify' },
  E_GRANT_EXPIRED: { family: 'policy', meaning: 'a grant has expired' },
  E_GRANT_NOT_YET_VALID: { family: 'policy', meaning: 'a grant is not valid yet' },
  E_GRANT_AUDIENCE: { family: 'policy', meaning: 'a grant was issued to another peer' },
  E_GRANT_REVOKED: { family: 'policy', meaning: 'a grant has been revoked' },
  E_GRANT_REPLAY: { family: 'policy', meaning: 'a request nonce was already used' },
  E_GRANT_SCOPE: { family: 'policy', meaning: 'the request is outside the grant scope' },
  E_GRANT_WIDENS: { family: 'policy', meaning: 'a derived grant is wider than its parent' },
  E_CONSENT_PENDING: { family: 'policy', meaning: 'the request waits for the owner\'s consent' },
  E_DENIED: { family: 'policy', meaning: 'the owner denied the request' },
  E_AUDIT_TAMPERED: { family: 'policy', meaning: 'the audit log hash chain does not verify' },
  E_FRAME_TOO_LARGE: { family: 'network', meaning: 'a frame exceeds the maximum size' },
  E_BAD_MESSAGE: { family: 'network', meaning: 'a message does not match the protocol schema' },
  E_UNSUPPORTED_VERSION: { family: 'network', meaning: 'the peer speaks an unsupported protocol version' },
  E_RATE_LIMITED: { family: 'network', meaning: 'too many requests from this peer' },
  E_TIMEOUT: { family: 'network', meaning: 'the operation timed out' },
  E_PEER_UNREACHABLE: { family: 'network', meaning: 'the peer could not be reached' },
  E_BAD_RECORD: { family: 'network', meaning: 'a DHT record is unsigned, expired or mismatched' },
  E_NODE_NOT_RUNNING: { family: 'network', meaning: 'no running node answers on the control channel' },
  E_NODE_RUNNING: { family: 'network', meaning: 'the node is already running for this home' },
  E_NO_MODEL: { family: 'model', meaning: 'no model is configured' },
  E_BAD_MODEL: { family: 'model', meaning: 'a model file is not a loadable GGUF model' },
  E_MODEL_FAILED: { family: 'model', meaning: 'the model failed to produce an answer' },
  E_TRAIN_FAILED: { family: 'model', meaning: 'fine-tuning failed' },
  E_INTERNAL: { family: 'internal', meaning: 'an internal error' }
} as const satisfies Record<string, { family: ErrorFamily, meaning: string }>

export type ErrorCode = keyof typeof ERRORS
/** The codes of one family (or of several). */
export type CodeOf<F extends ErrorFamily> = { [K in ErrorCode]: typeof ERRORS[K]['family'] extends F ? K : never }[ErrorCode]

/** Code → meaning (the table's meanings alone, for callers that only list codes). */
export const ErrorCodes = Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, e.meaning])) as { readonly [K in ErrorCode]: string }

export function isErrorCode (code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code)
}

export interface SecondMeErrorOptions {
  cause?: unknown
  /** Structured details for --json output; never put secrets here. */
  data?: Record<string, unknown>
}

export class SecondMeError extends Error {
  readonly code: ErrorCode
  readonly data: Record<string, unknown> | undefined

  // Protected: a class of the code's family is made with `errorFor` or the family's class.
  protected constructor (code: ErrorCode, message: string, options: SecondMeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.data = options.data
  }

  get family (): ErrorFamily {
    return ERRORS[this.code].family
  }

  toJSON (): { code: ErrorCode, message: string, data?: Record<string, unknown> } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data }
  }
}

/** Bad CLI usage, argument, file, or config: the user can fix it. */
export class InputError extends SecondMeError {
  constructor (code: CodeOf<'input' | 'usage'>, message: string, options?: SecondMeErrorOptions) { super(code, message, options) }
}
/** Home, identity, keys and the encrypted vault; anything used after it was closed. */
export class StorageError extends SecondMeError {
  constructor (code: CodeOf<'storage'>, message: string, options?: SecondMeErrorOptions) { super(code, message, options) }
}
/** Grants, consent, audit. */
export class PolicyError extends SecondMeError {
  constructor (code: CodeOf<'policy'>, message: string, options?: SecondMeErrorOptions) { super(code, message, options) }
}
/** Wire protocols, DHT records, peers. */
export class NetworkError extends SecondMeError {
  constructor (code: CodeOf<'network'>, message: string, options?: SecondMeErrorOptions) { super(code, message, options) }
}
/** LLM and embedding backends, training. */
export class ModelError extends SecondMeError {
  constructor (code: CodeOf<'model'>, message: string, options?: SecondMeErrorOptions) { super(code, message, options) }
}
/** A failure no other code describes (a bug). */
export class InternalError extends SecondMeError {
  constructor (message: string, options?: SecondMeErrorOptions) { super('E_INTERNAL', message, options) }
}

/** The error for a code, of its family's class: how errors that crossed a wire are rebuilt. */
export function errorFor (code: ErrorCode, message: string, options?: SecondMeErrorOptions): SecondMeError {
  switch (ERRORS[code].family) {
    case 'usage':
    case 'input': return new InputError(code as CodeOf<'input' | 'usage'>, message, options)
    case 'storage': return new StorageError(code as CodeOf<'storage'>, message, options)
    case 'policy': return new PolicyError(code as CodeOf<'policy'>, message, options)
    case 'network': return new NetworkError(code as CodeOf<'network'>, message, options)
    case 'model': return new ModelError(code as CodeOf<'model'>, message, options)
    case 'internal': return new InternalError(message, options)
  }
}

export function isSecondMeError (err: unknown): err is SecondMeError {
  return err instanceof SecondMeError
}

/** Process exit status from the error's code (1 for anything that is not ours). */
export function exitCodeFor (err: unknown): number {
  if (!(err instanceof SecondMeError)) return 1
  return ERROR_FAMILIES[err.family].exit
}
