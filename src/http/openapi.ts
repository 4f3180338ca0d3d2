import { z } from 'zod'
import { ALL_OPS, type AnyOp } from '../ops.js'

// OpenAPI 3.1 for /api, generated from the op registry: one POST path per op, its params schema as
// the request body. JSON Schema 2020-12 is OpenAPI 3.1's own schema dialect, so zod's output fits.

type Json = Record<string, unknown>

function jsonSchema (schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json
  return rest
}

export function opParamsSchema (op: AnyOp): Json {
  return jsonSchema(op.params, 'input')
}

/** The op's result schema (every op declares one). */
export function opResultSchema (op: AnyOp): Json {
  return jsonSchema(op.result, 'output')
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', pattern: '^E_[A-Z_]+$' }, message: { type: 'string' } }
    }
  }
}

function componentName (op: AnyOp): string {
  return op.name.replace(/\.(\w)/g, (_m, ch: string) => ch.toUpperCase())
}

function operation (op: AnyOp): Json {
  const name = componentName(op)
  const ok = { description: 'the op\'s result', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Result` } } } }
  const err = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
  return {
    post: {
      operationId: name,
      summary: op.summary,
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Params` } } } },
      responses: { 200: ok, 400: err, 401: err, 403: err, 404: err, 429: err, 500: err, 503: err, 504: err }
    }
  }
}

let cached: Json | undefined

export function openApiDocument (version: string): Json {
  cached ??= build(version)
  return cached
}

function build (version: string): Json {
  const schemas: Json = { Error: ERROR_SCHEMA }
  const paths: Json = {}
  for (const op of ALL_OPS) {
    const name = componentName(op)
    schemas[`${name}Params`] = opParamsSchema(op)
    schemas[`${name}Result`] = opResultSchema(op)
    paths[`/api/${op.name}`] = operation(op)
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Second Me local API', version, description: 'Every operation of a Second Me node: POST its params as JSON, get its result as JSON.' },
    security: [{ bearer: [] }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the token `secondme token` prints' } } }
  }
}
