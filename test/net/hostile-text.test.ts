import { Writable } from 'node:stream'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { call } from '../../src/ops.js'
import { SecondMe } from '../../src/node.js'
import { buildProgram } from '../../src/cli/program.js'
import { printError } from '../../src/cli/output.js'
import { exitCodeFor } from '../../src/errors.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

// A peer whose memories carry terminal escape sequences (OSC title/clipboard, CSI clear, 8-bit CSI):
// what reaches the asking node is cleaned on receipt, and what the CLI prints never holds a raw control.

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mI sail on Lake Geneva\u009b6n every \u001b]52;c;cm0gLXJmIH4=\u0007weekend'
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]')
let run = 0

async function node (dir: string, name: string, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  await me.start({ transport: 'memory', listen: [`/memory/hostile-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

describe('hostile bytes', () => {
  it('cleans a peer\'s memory text and converse replies on receipt', async () => {
    await using tmp = await tempDir()
    const mallory = await node(tmp.path, 'mallory')
    const bob = await node(tmp.path, 'bob', [mallory.net!.multiaddrs()[0]!])
    try {
      await mallory.memory.addText(HOSTILE, { visibility: 'shareable', topics: ['sailing'] })
      const grant = await mallory.policy.issue({ aud: bob.peerId, actions: ['memory:read', 'converse'], scope: { visibility: ['shareable'] }, durationSec: 600 })
      const answer = await call(bob, 'query', { peer: mallory.peerId, text: 'sail weekend', grant: grant.token })
      expect(answer.items.length).toBe(1)
      expect(answer.items[0]?.text).toBe('I sail on Lake Geneva every weekend')
      const reply = await call(bob, 'converse', { peer: mallory.peerId, message: 'Where do you sail at the weekend?\u001b[2J', grant: grant.token })
      expect(reply.text).toContain('Lake Geneva')
      expect(reply.text).not.toMatch(RAW_CONTROL)
    } finally {
      await Promise.all([mallory.close(), bob.close()])
    }
  })

  it('prints memory text and file paths with controls escaped; --json stays exact', async () => {
    await using dir = await tempDir()
    const home = join(dir.path, 'h')
    const me = await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory: { embedder: null } })
    await me.memory.addText(HOSTILE, { visibility: 'private' })
    await me.close()
    const text = await cli(['--home', home, 'memories'])
    expect(text.stdout).toContain('Lake Geneva')
    expect(text.stdout).not.toMatch(RAW_CONTROL)
    const json = await cli(['--home', home, '--json', 'memories'])
    expect(json.stdout).not.toMatch(RAW_CONTROL)
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1))
    const missing = await cli(['--home', home, 'ingest', join(dir.path, 'x\u001b]0;pwned\u0007.txt')])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(/E_FILE_NOT_FOUND/)
    expect(missing.stderr).toContain('\\x1b]0;pwned\\x07')
    expect(missing.stderr).not.toMatch(RAW_CONTROL)
  })
})

/** The real command tree in this process, with its output captured (a child process per call is slow). */
async function cli (argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  const out = { stdout: '', stderr: '' }
  const sink = (key: 'stdout' | 'stderr'): NodeJS.WriteStream => new Writable({ write (chunk: Buffer, _enc, done) { out[key] += chunk.toString('utf8'); done() } }) as NodeJS.WriteStream
  const { program, cli } = buildProgram({ io: { env: { SECONDME_PASSPHRASE: 'pw' }, stdin: process.stdin, stdout: sink('stdout'), stderr: sink('stderr') } })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return { code: 0, ...out }
  } catch (err) {
    printError(cli.printer, err)
    return { code: exitCodeFor(err), ...out }
  }
}
