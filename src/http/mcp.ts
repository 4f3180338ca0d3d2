import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import type { Hono } from 'hono'
import { z } from 'zod'
import { findOp } from '../ops.js'
import { errorBody } from './errors.js'
import type { OpCaller } from './call.js'

// The MCP door: tools and resources generated from ops of the registry, for the stdio form
// (`secondme mcp`) and streamable HTTP at /mcp. Input (and, where the op declares one, output)
// schemas are the ops' own; annotations say truthfully what each tool does.

interface ToolSpec {
  tool: string
  op: string
  annotations: ToolAnnotations
}

const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false }
const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false }

/** Tool name (MCP allows letters, digits, _ and -) → op, with what it does to the world. */
export const MCP_TOOLS: readonly ToolSpec[] = [
  { tool: 'recall', op: 'recall', annotations: READ },
  { tool: 'ask', op: 'ask', annotations: READ },
  { tool: 'remember', op: 'remember', annotations: WRITE },
  { tool: 'autofill', op: 'autofill', annotations: READ },
  { tool: 'facts', op: 'facts', annotations: READ },
  { tool: 'find_peers', op: 'find', annotations: { readOnlyHint: true, openWorldHint: true } },
  // Sends the message to another node (which may keep it): not read-only, reaches outside.
  { tool: 'ask_peer', op: 'converse', annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true } },
  { tool: 'grants', op: 'grants', annotations: READ },
  { tool: 'grant', op: 'grant', annotations: WRITE },
  { tool: 'revoke', op: 'revoke', annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false } },
  { tool: 'consent', op: 'consent', annotations: READ },
  { tool: 'consent_approve', op: 'consent.approve', annotations: WRITE },
  { tool: 'consent_deny', op: 'consent.deny', annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false } }
]

export const MCP_RESOURCES = [
  { name: 'bio', op: 'bio', uri: 'secondme://bio', description: 'the owner\'s bio, built from memory' },
  { name: 'topics', op: 'topics', uri: 'secondme://topics', description: 'topics of the owner\'s memories with counts and visibility' },
  { name: 'profile', op: 'profile', uri: 'secondme://profile', description: 'this node\'s signed public profile (needs the running node)' }
] as const

/** An output schema only where the op declares an object result (MCP requires an object). */
function outputSchemaOf (op: object): z.ZodObject | undefined {
  const result = 'result' in op ? op.result : undefined
  return result instanceof z.ZodObject ? result : undefined
}

function toolResult (value: unknown, structured: boolean): CallToolResult {
  const text = JSON.stringify(value ?? null)
  return structured ? { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown> } : { content: [{ type: 'text', text }] }
}

function toolError (err: unknown): CallToolResult {
  const { error } = errorBody(err)
  return { isError: true, content: [{ type: 'text', text: `${error.code}: ${error.message}` }] }
}

export function buildMcpServer (call: OpCaller, version: string): McpServer {
  const server = new McpServer({ name: 'secondme', version })
  for (const spec of MCP_TOOLS) {
    const op = findOp(spec.op)
    if (op === undefined || !(op.params instanceof z.ZodObject)) continue
    const output = outputSchemaOf(op)
    server.registerTool(spec.tool, {
      description: op.summary,
      inputSchema: op.params,
      ...(output === undefined ? {} : { outputSchema: output }),
      annotations: spec.annotations
    }, async (args: unknown, extra: { signal: AbortSignal }) => {
      try {
        return toolResult(await call(spec.op, args, { signal: extra.signal }), output !== undefined)
      } catch (err) {
        return toolError(err)
      }
    })
  }
  for (const r of MCP_RESOURCES) {
    server.registerResource(r.name, r.uri, { description: r.description, mimeType: 'application/json' }, async (uri, extra) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await call(r.op, {}, { signal: extra.signal })) }]
    }))
  }
  return server
}

/** Idle MCP servers kept for the next requests: building one (every tool's schemas) is the cost. */
const IDLE_SERVERS = 8

/**
 * Streamable HTTP at /mcp, stateless: each request gets its own transport (no session to leak or
 * expire), answered as JSON. A server serves one request at a time and is then reused: building
 * one per request cost more than the recall it ran (bench:http). The bearer check runs first.
 */
export function mountMcp (app: Hono, call: OpCaller, version: string): void {
  const idle: McpServer[] = []
  app.all('/mcp', async c => {
    const server = idle.pop() ?? buildMcpServer(call, version)
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    try {
      return await transport.handleRequest(c.req.raw)
    } finally {
      await server.close()
      if (idle.length < IDLE_SERVERS && !server.isConnected()) idle.push(server)
    }
  })
}
