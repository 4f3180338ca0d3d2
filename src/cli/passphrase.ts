import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { InputError } from '../errors.js'

export interface PassphraseSource {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadStream
  stderr: NodeJS.WriteStream
}

/** SECONDME_PASSPHRASE, else a hidden prompt on the terminal; never echoed, never logged. */
export async function getPassphrase (source: PassphraseSource, prompt: string, confirm = false): Promise<string> {
  const fromEnv = source.env.SECONDME_PASSPHRASE
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (source.stdin.isTTY !== true) {
    throw new InputError('E_NO_PASSPHRASE', 'no passphrase: set SECONDME_PASSPHRASE or run in a terminal')
  }
  const first = await askHidden(source, prompt)
  if (first === '') throw new InputError('E_BAD_INPUT', 'the passphrase must not be empty')
  if (confirm && await askHidden(source, 'Repeat passphrase: ') !== first) {
    throw new InputError('E_BAD_INPUT', 'the passphrases do not match')
  }
  return first
}

async function askHidden (source: PassphraseSource, prompt: string): Promise<string> {
  source.stderr.write(prompt)
  const muted = new Writable({ write: (_chunk, _enc, done) => { done() } })
  const rl = createInterface({ input: source.stdin, output: muted, terminal: true })
  try {
    return await new Promise<string>(resolve => rl.question('', resolve))
  } finally {
    rl.close()
    source.stderr.write('\n')
  }
}
