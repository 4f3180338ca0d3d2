import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { generatedSchemaFiles } from '../../src/net/schema/json-schema.js'
import { REPO_ROOT } from '../helpers/tmp.js'

describe('protocols/*.schema.json', () => {
  it('are up to date with the zod schemas (regenerate: npx tsx scripts/gen-protocol-schemas.ts)', async () => {
    for (const [name, text] of Object.entries(generatedSchemaFiles())) {
      expect(await readFile(join(REPO_ROOT, 'protocols', name), 'utf8'), name).toBe(text)
    }
  })

  it('compile as JSON Schema 2020-12 and accept a valid memory query, reject a bad one', async () => {
    const ajv = new Ajv2020({ strict: false })
    const schema = JSON.parse(await readFile(join(REPO_ROOT, 'protocols', 'memory.schema.json'), 'utf8')) as { $defs: Record<string, object> }
    const query = ajv.compile(schema.$defs['query.request']!)
    expect(query({ grant: { iss: 'x' }, query: 'sailing', k: 3 })).toBe(true)
    expect(query({ grant: { iss: 'x' }, query: '', k: 3 })).toBe(false)
    expect(query({ grant: { iss: 'x' }, query: 'q', k: 3, extra: true })).toBe(false)
    const frame = ajv.compile(schema.$defs.RequestFrame!)
    expect(frame({ v: '1.0.0', t: 'req', id: 'a', kind: 'query', from: 'p', created: 1, expires: 2, nonce: 'n'.repeat(16), body: {} })).toBe(true)
    expect(frame({ v: '1.0.0', t: 'req', id: 'a', kind: 'query', from: 'p', created: 1, expires: 2, nonce: 'short', body: {} })).toBe(false)
  })
})
