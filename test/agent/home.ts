import { readConfig, writeConfig } from '../../src/config.js'
import { homePaths } from '../../src/home.js'
import { SecondMe } from '../../src/node.js'
import { TEST_SETTINGS } from '../model/models-path.js'
import { tempDir, TEST_KDF } from '../helpers/tmp.js'

export interface TestHome {
  me: SecondMe
  dir: string
  [Symbol.asyncDispose]: () => Promise<void>
}

/** A real home in a temp dir, lexical-only memory, and model settings for tests (1 thread, small context). */
export async function testHome (displayName = 'Ada'): Promise<TestHome> {
  const tmp = await tempDir('secondme-agent-')
  const first = await SecondMe.init({ home: tmp.path, passphrase: 'pw', kdf: TEST_KDF, displayName, memory: { embedder: null } })
  await first.close()
  const paths = homePaths(tmp.path)
  const config = await readConfig(paths.config)
  await writeConfig(paths.config, { ...config, model: { ...TEST_SETTINGS } })
  const me = await SecondMe.open({ home: tmp.path, passphrase: 'pw', memory: { embedder: null } })
  return {
    me,
    dir: tmp.path,
    [Symbol.asyncDispose]: async () => { await me.close(); await tmp[Symbol.asyncDispose]() }
  }
}
