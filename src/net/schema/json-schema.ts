import { z } from 'zod'
import { converseSpec } from '../protocols/converse.js'
import { handshakeSpec } from '../protocols/handshake.js'
import { introSpec } from '../protocols/intro.js'
import { memorySpec } from '../protocols/memory.js'
import { ErrorFrameSchema, MAX_FRAME_BYTES, RequestFrameSchema, ResponseFrameSchema, WIRE_VERSION } from '../wire/frames.js'
import type { ProtocolSpec } from '../wire/spec.js'

// protocols/<name>.schema.json is generated from the zod schemas the code validates with, so the
// published spec cannot drift from what nodes accept (a test checks the committed files).

export const PROTOCOL_SPECS: Record<string, ProtocolSpec> = {
  handshake: handshakeSpec,
  intro: introSpec,
  memory: memorySpec,
  converse: converseSpec
}

function toSchema (schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

export function protocolJsonSchema (name: string, spec: ProtocolSpec): Record<string, unknown> {
  const defs: Record<string, unknown> = {
    RequestFrame: toSchema(RequestFrameSchema, 'input'),
    ResponseFrame: toSchema(ResponseFrameSchema, 'output'),
    ErrorFrame: toSchema(ErrorFrameSchema, 'output')
  }
  for (const [kind, k] of Object.entries(spec.kinds)) {
    defs[`${kind}.request`] = toSchema(k.request, 'input')
    defs[`${kind}.response`] = toSchema(k.response, 'output')
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `secondme:${spec.id}`,
    title: `${spec.id} (${name})`,
    description: `Frames are length-prefixed (unsigned varint) UTF-8 JSON, at most ${MAX_FRAME_BYTES} bytes; wire version ${WIRE_VERSION}; ` +
      `frames ${spec.signed ? 'ARE' : 'are NOT'} signed. A request's body matches $defs["<kind>.request"], its response body $defs["<kind>.response"].`,
    'x-protocol': spec.id,
    'x-signed': spec.signed,
    'x-kinds': Object.keys(spec.kinds),
    $defs: defs
  }
}

/** File name → content of every generated schema file. */
export function generatedSchemaFiles (): Record<string, string> {
  const files: Record<string, string> = {}
  for (const [name, spec] of Object.entries(PROTOCOL_SPECS)) {
    files[`${name}.schema.json`] = JSON.stringify(protocolJsonSchema(name, spec), null, 2) + '\n'
  }
  return files
}
