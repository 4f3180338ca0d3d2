import { join } from 'node:path'
import { readConfig, writeConfig } from '../../src/config.js'
import { SecondMe } from '../../src/node.js'

/**
 * A home's config sections are parsed once, when it opens: set `net` the way a user does (in
 * config.json) and open the home again. Its memories stay (they are on disk).
 */
export async function reopenWithNet (me: SecondMe, net: Record<string, unknown>, passphrase = 'pw'): Promise<SecondMe> {
  const home = me.paths.root
  await me.close()
  const file = join(home, 'config.json')
  await writeConfig(file, { ...(await readConfig(file)), net })
  return await SecondMe.open({ home, passphrase, memory: { embedder: null } })
}
