import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig, writeConfig } from '../../src/config.js'
import { readOrCreateToken, startHttpServer, type HttpServer } from '../../src/http/index.js'
import { SecondMe } from '../../src/node.js'
import { REPO_ROOT, tempDir, TEST_KDF } from '../helpers/tmp.js'

// The MCP SDK's own Client against both forms of the door: streamable HTTP (/mcp) and stdio.

let tmp: Awaited<ReturnType<typeof tempDir>>
let home: string
let me: SecondMe
let server: HttpServer

const READ_TOOLS: Array<[string, Record<string, unknown>]> = [
  ['recall', { query: 'balcony tomatoes' }],
  ['ask', { question: 'What do I grow on my balcony?' }],
  ['autofill', { schema: { type: 'object', properties: { city: { type: 'string', description: 'the city I live in' } } }, extractive: true }],
  ['grants', {}],
  ['consent', {}]
]

function textOf (result: Awaited<ReturnType<Client['callTool']>>): string {
  const first = (result.content as Array<{ type: string, text?: string }>)[0]
  return first?.text ?? ''
}

beforeAll(async () => {
  tmp = await tempDir()
  home = join(tmp.path, 'home')
  await (await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, displayName: 'Ada', memory: { embedder: null } })).close()
  const config = await readConfig(join(home, 'config.json'))
  await writeConfig(join(home, 'config.json'), { ...config, memory: { embedder: 'none' } })
  me = await SecondMe.open({ home, passphrase: 'pw' })
  await me.memory.addText('I grow cherry tomatoes on my balcony in Lisbon.', { visibility: 'private' })
  server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 } })
})

afterAll(async () => {
  await server.close()
  await me.close()
  await tmp[Symbol.asyncDispose]()
})

describe('MCP over streamable HTTP (/mcp)', () => {
  it('lists tools with schemas and truthful annotations, calls every read tool and a write tool, reads resources', async () => {
    const token = await readOrCreateToken(me.paths.root)
    const client = new Client({ name: 'test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
    try {
      const { tools } = await client.listTools()
      const byName = new Map(tools.map(t => [t.name, t]))
      for (const name of ['recall', 'ask', 'remember', 'autofill', 'find_peers', 'ask_peer', 'grants', 'grant', 'revoke', 'consent', 'consent_approve', 'consent_deny']) expect(byName.has(name), name).toBe(true)
      expect(byName.get('recall')?.annotations?.readOnlyHint).toBe(true)
      expect(byName.get('remember')?.annotations?.readOnlyHint).toBe(false)
      expect(byName.get('revoke')?.annotations?.destructiveHint).toBe(true)
      expect(byName.get('ask_peer')?.annotations?.openWorldHint).toBe(true)
      expect(Object.keys((byName.get('recall')?.inputSchema as { properties: object }).properties)).toContain('query')

      for (const [name, args] of READ_TOOLS) {
        const r = await client.callTool({ name, arguments: args })
        expect(r.isError, `${name}: ${textOf(r)}`).not.toBe(true)
      }
      expect(textOf(await client.callTool({ name: 'ask', arguments: { question: 'What do I grow on my balcony?' } }))).toMatch(/tomatoes/)
      const offline = await client.callTool({ name: 'find_peers', arguments: { topic: 'sailing' } })
      expect(offline.isError).toBe(true)
      expect(textOf(offline)).toContain('E_NODE_NOT_RUNNING')

      const before = me.memory.size
      expect((await client.callTool({ name: 'remember', arguments: { text: 'My cat is called Miso.' } })).isError).not.toBe(true)
      expect(me.memory.size).toBe(before + 1)
      const bad = await client.callTool({ name: 'recall', arguments: { query: '' } })
      expect(bad.isError).toBe(true)

      const { resources } = await client.listResources()
      expect(resources.map(r => r.uri)).toEqual(expect.arrayContaining(['secondme://bio', 'secondme://topics', 'secondme://profile']))
      const topics = await client.readResource({ uri: 'secondme://topics' })
      expect(() => JSON.parse((topics.contents[0] as { text: string }).text) as unknown).not.toThrow()
    } finally {
      await client.close()
    }
  })

  it('refuses a client without the token (401)', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' })
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)))).rejects.toThrow(/401|Unauthorized|E_DENIED/)
  })
})

describe('MCP over stdio (secondme mcp)', () => {
  it('serves the same tools from a home that no node is running', async () => {
    await server.close()
    await me.close()
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(REPO_ROOT, 'bin/secondme.js'), '--home', home, 'mcp'],
      env: { PATH: process.env.PATH ?? '', SECONDME_PASSPHRASE: 'pw' },
      stderr: 'pipe'
    })
    const client = new Client({ name: 'test', version: '1.0.0' })
    await client.connect(transport)
    try {
      const { tools } = await client.listTools()
      expect(tools.map(t => t.name)).toContain('recall')
      const r = await client.callTool({ name: 'recall', arguments: { query: 'cat' } })
      expect(textOf(r)).toContain('Miso')
    } finally {
      await client.close()
    }
    me = await SecondMe.open({ home, passphrase: 'pw' })
    server = await startHttpServer(me, { listen: { host: '127.0.0.1', port: 0 } })
  })
})
