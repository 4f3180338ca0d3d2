import { ALL_OPS, type AnyOp } from '../ops.js'
import { opParamsSchema } from './openapi.js'

// Human docs for /api, rendered on the server from the same schemas as openapi.json: no script,
// no CDN, so they work offline.

function esc (text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`)
}

interface Prop { type?: unknown, enum?: unknown[], default?: unknown, items?: Prop, anyOf?: Prop[] }

function typeOf (p: Prop): string {
  if (p.enum !== undefined) return p.enum.map(v => JSON.stringify(v)).join(' | ')
  if (p.type === 'array') return `${p.items === undefined ? 'any' : typeOf(p.items)}[]`
  if (p.anyOf !== undefined) return p.anyOf.map(typeOf).join(' | ')
  return typeof p.type === 'string' ? p.type : 'any'
}

function paramsTable (op: AnyOp): string {
  const schema = opParamsSchema(op) as { properties?: Record<string, Prop>, required?: string[] }
  const props = Object.entries(schema.properties ?? {})
  if (props.length === 0) return '<p class="none">no parameters: send <code>{}</code></p>'
  const required = new Set(schema.required ?? [])
  const rows = props.map(([name, p]) => `<tr><td><code>${esc(name)}</code></td><td>${esc(typeOf(p))}</td><td>${required.has(name) ? 'required' : p.default === undefined ? 'optional' : `default ${esc(JSON.stringify(p.default))}`}</td></tr>`)
  return `<table><tr><th>param</th><th>type</th><th></th></tr>${rows.join('')}</table>`
}

function section (op: AnyOp, base: string): string {
  const curl = `curl -s -X POST ${base}/api/${op.name} -H "Authorization: Bearer $(secondme token)" -H 'content-type: application/json' -d '{}'`
  return `<section id="${esc(op.name)}"><h2><code>POST /api/${esc(op.name)}</code></h2><p>${esc(op.summary)}</p>${paramsTable(op)}<pre>${esc(curl)}</pre></section>`
}

export function docsPage (base: string): string {
  const toc = ALL_OPS.map(op => `<li><a href="#${esc(op.name)}">${esc(op.name)}</a></li>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Second Me API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
pre{background:#f4f4f4;padding:.5rem;overflow:auto}nav ul{columns:4}</style></head><body>
<h1>Second Me local API</h1>
<p>Every operation: <code>POST /api/&lt;op&gt;</code> with its params as JSON and
<code>Authorization: Bearer &lt;token&gt;</code> (<code>secondme token</code> prints it). Errors are
<code>{"error":{"code","message"}}</code>. Machine-readable: <a href="/api/openapi.json">openapi.json</a>.
Also served: OpenAI-compatible <code>/v1</code>, MCP at <code>/mcp</code>, A2A card at
<a href="/.well-known/agent-card.json">/.well-known/agent-card.json</a>.</p>
<nav><ul>${toc}</ul></nav>${ALL_OPS.map(op => section(op, base)).join('')}</body></html>`
}
