import { z } from 'zod'
import {
  errorFor, isErrorCode, SecondMeError, type ErrorCode
} from '../errors.js'

// The control channel's wire format: newline-delimited JSON over a Unix socket.
//   request  {id, token, op, params}
//   events   {id, event: 'progress', progress} | {id, event: 'text', text}   (zero or more)
//   answer   {id, result} | {id, error: {code, message}}                     (exactly one)
// A line that cannot be parsed gets an answer with id null.

/** Largest request line the server reads; a longer one is refused and the connection closed. */
export const MAX_REQUEST_LINE = 1024 * 1024
/** Largest answer line the client reads (answers can carry recall results). */
export const MAX_ANSWER_LINE = 64 * 1024 * 1024
/** Answered by the server itself: proves the socket is live and the token right. */
export const PING_OP = 'control.ping'
/**
 * Answered by the server itself, not the op registry: the owner's CLI asks the running node for a
 * backup (it holds the vault lock). Kept off the registry so no HTTP/MCP door can write files.
 */
export const BACKUP_OP = 'control.backup'
export const BackupParamsSchema = z.object({ file: z.string().min(1).max(4096) }).strict()

const Id = z.union([z.string().max(100), z.number().int()])

export const ControlRequestSchema = z.object({
  id: Id,
  token: z.string().max(200),
  op: z.string().min(1).max(100),
  params: z.unknown().optional()
}).strict()

export const WireErrorSchema = z.object({ code: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()).optional() })

export const ControlAnswerSchema = z.union([
  z.object({ id: Id.nullable(), event: z.literal('progress'), progress: z.object({ phase: z.string(), done: z.number(), total: z.number().optional(), detail: z.string().optional() }) }),
  z.object({ id: Id.nullable(), event: z.literal('text'), text: z.string() }),
  z.object({ id: Id.nullable(), error: WireErrorSchema }),
  z.object({ id: Id.nullable(), result: z.unknown() })
])
export type ControlAnswer = z.infer<typeof ControlAnswerSchema>

/** Rebuild the error a remote op threw, as the same class and code it had in the node. */
export function errorFromWire (wire: { code: string, message: string, data?: Record<string, unknown> | undefined }): SecondMeError {
  const code: ErrorCode = isErrorCode(wire.code) ? wire.code : 'E_INTERNAL'
  return errorFor(code, wire.message, wire.data === undefined ? {} : { data: wire.data })
}

/** The error as it goes on the wire: stable code and message; internal details stay in the node. */
export function errorToWire (err: unknown): { code: string, message: string, data?: Record<string, unknown> } {
  if (err instanceof SecondMeError) return err.toJSON()
  return { code: 'E_INTERNAL', message: 'the operation failed inside the node' }
}
