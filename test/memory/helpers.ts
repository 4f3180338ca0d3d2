import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SecondMe } from '../../src/node.js'
import type { MemoryOptions } from '../../src/memory/index.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

/** A fresh node in a temp dir (lexical-only unless an embedder is given), removed on dispose. */
export async function freshNode (memory: MemoryOptions = { embedder: null }): Promise<{ me: SecondMe, dir: string, home: string, [Symbol.asyncDispose]: () => Promise<void> }> {
  const tmp = await tempDir('secondme-memory-')
  const home = join(tmp.path, 'home')
  const me = await SecondMe.init({ home, passphrase: 'pw', kdf: TEST_KDF, memory })
  return {
    me, dir: tmp.path, home,
    [Symbol.asyncDispose]: async () => { await me.close(); await tmp[Symbol.asyncDispose]() }
  }
}

export async function writeJson (dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value))
  return path
}

export const LOCOMO_SAMPLE = [{
  sample_id: 'conv-x',
  qa: [{ question: 'not used by ingest', answer: 'x', evidence: ['D1:1'], category: 1 }],
  conversation: {
    speaker_a: 'Ana',
    speaker_b: 'Ben',
    session_1_date_time: '1:56 pm on 8 May, 2023',
    session_1: [
      { speaker: 'Ana', dia_id: 'D1:1', text: 'I adopted a greyhound called Pixel last week.' },
      { speaker: 'Ben', dia_id: 'D1:2', text: 'Lovely! Does Pixel like long walks?', blip_caption: 'a photo of a dog on a beach' }
    ],
    session_2_date_time: '10:00 am on 2 June, 2023',
    session_2: [
      { speaker: 'Ben', dia_id: 'D2:1', text: 'My pottery class starts on Monday.' },
      { speaker: 'Ana', dia_id: 'D2:2', text: 'Send me a picture of your first bowl!' }
    ]
  }
}]
