import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { PolicyError, SecondMeError, type ErrorCode, type ErrorFamily } from '../errors.js'

// How an error leaves an HTTP door: `{"error":{"code","message"}}` with a status per family.
// Codes that mean something more precise than their family get their own status.

const BY_CODE: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  E_USAGE: 404,
  E_NOT_FOUND: 404,
  E_FILE_NOT_FOUND: 404,
  E_CONSENT_PENDING: 409,
  E_FRAME_TOO_LARGE: 413,
  E_RATE_LIMITED: 429,
  E_TIMEOUT: 504,
  E_PEER_UNREACHABLE: 502,
  E_NODE_NOT_RUNNING: 503,
  E_NO_MODEL: 409,
  E_HOME_LOCKED: 409,
  E_CLOSED: 503
}

const BY_FAMILY: Record<ErrorFamily, ContentfulStatusCode> = {
  usage: 400, input: 400, policy: 403, network: 400, storage: 500, model: 500, internal: 500
}

export function statusFor (err: unknown): ContentfulStatusCode {
  if (!(err instanceof SecondMeError)) return 500
  const exact = BY_CODE[err.code]
  if (exact !== undefined) return exact
  return BY_FAMILY[err.family]
}

export interface ErrorBody { error: { code: string, message: string } }

/** The wire form of an error; internal details (stack, cause) never leave the node. */
export function errorBody (err: unknown): ErrorBody {
  if (err instanceof SecondMeError) return { error: { code: err.code, message: err.message } }
  return { error: { code: 'E_INTERNAL', message: 'internal error' } }
}

export function sendError (c: Context, err: unknown, status?: ContentfulStatusCode): Response {
  return c.json(errorBody(err), status ?? statusFor(err))
}

/** 401 for a missing or wrong credential; says how to get one, changes nothing. */
export function unauthorized (c: Context): Response {
  c.header('WWW-Authenticate', 'Bearer realm="secondme"')
  return sendError(c, new PolicyError('E_DENIED', 'missing or wrong bearer token (see `secondme token`)'), 401)
}
