import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { disable, enable } from '@libp2p/logger'
import { describe, expect, it } from 'vitest'
import { SecondMe } from '../src/node.js'
import { call, runOp } from '../src/ops.js'
import { runCli } from './helpers/cli.js'
import { tempDir } from './helpers/tmp.js'

// The log at its most verbose (every namespace, trace included) while the owner stores, ingests,
// recalls, asks, grants and makes mistakes: it must never show a memory's text, the passphrase, the
// identity key or a grant token.

const PASSPHRASE = 'correct horse battery staple 42'
const SECRET_MEMORY = 'my locker code is 7719 zebra quill'
const SECRET_FILE = 'The vault under the oak tree holds grandmother silver.'

/** Everything written to stderr while `fn` runs (where the loggers write). */
async function stderrOf (fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = []
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array): boolean => { chunks.push(String(chunk)); return true }) as typeof process.stderr.write
  try {
    await fn()
  } finally {
    process.stderr.write = write
  }
  return chunks.join('')
}

describe('logging', () => {
  it('is off by default, on with --verbose or DEBUG, and never shows memory text, passphrase, key or grant', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'home')
    const env = { SECONDME_PASSPHRASE: PASSPHRASE }
    const quiet = await runCli(['--home', home, 'init', '--name', 'Ada'], env)
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stderr).toBe('')
    const configPath = join(home, 'config.json')
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
    await writeFile(configPath, JSON.stringify({ ...config, memory: { embedder: 'none' } }))
    const verbose = await runCli(['--home', home, '--verbose', 'remember', SECRET_MEMORY], env)
    expect(verbose.code, verbose.stderr).toBe(0)
    expect(verbose.stderr).toMatch(/secondme:api remember ok in \d+ ms/)

    const note = join(dir.path, 'note.md')
    await writeFile(note, `# Places\n\n${SECRET_FILE}\n`)
    const me = await SecondMe.open({ home, passphrase: PASSPHRASE, memory: { embedder: null } })
    let grant = ''
    enable('*,*:trace')
    const log = await stderrOf(async () => {
      try {
        await call(me, 'ingest', { paths: [note] })
        await call(me, 'recall', { query: 'locker code zebra' })
        await call(me, 'ask', { question: 'What is my locker code?' })
        grant = (await call(me, 'grant.bearer', { visibility: ['shareable'] })).token
        await expect(call(me, 'forget', { id: 'no-such-memory' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
        await expect(runOp(me, 'remember', { text: SECRET_MEMORY, visibility: 'nope' })).rejects.toMatchObject({ code: 'E_BAD_INPUT' })
      } finally {
        disable()
      }
    })
    const key = me.identity.privateKey.raw
    await me.close()
    expect(log).toMatch(/secondme:api ingest ok in \d+ ms/)
    expect(log).toMatch(/secondme:api recall ok in \d+ ms/)
    expect(log).toMatch(/secondme:api forget failed in \d+ ms: E_NOT_FOUND/)
    expect(grant).toMatch(/^smg1\./)
    const secrets = [
      SECRET_MEMORY, 'locker code', '7719', 'zebra quill', SECRET_FILE, 'grandmother silver',
      PASSPHRASE, 'battery staple', grant, grant.slice(5, 40),
      Buffer.from(key).toString('hex'), Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url')
    ]
    for (const secret of [...secrets]) expect(`${verbose.stderr}\n${log}`.includes(secret), `log contains "${secret.slice(0, 12)}…"`).toBe(false)
  })
})
