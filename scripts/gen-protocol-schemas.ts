// Writes protocols/<name>.schema.json from the zod schemas in src/net (run after changing a protocol):
//   npx tsx scripts/gen-protocol-schemas.ts
import '../src/polyfill.js'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { generatedSchemaFiles } from '../src/net/schema/json-schema.js'

const dir = resolve(import.meta.dirname, '..', 'protocols')
for (const [name, text] of Object.entries(generatedSchemaFiles())) {
  await writeFile(join(dir, name), text)
  console.log(`wrote protocols/${name}`)
}
