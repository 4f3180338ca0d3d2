import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Where one Second Me keeps everything. Paths only: no I/O at import or construction. */
export interface HomePaths {
  root: string
  keysDir: string
  /** Sealed identity key and vault data key. */
  keyring: string
  vaultDir: string
  config: string
  modelsDir: string
  /** Unix socket of a running node's control channel. */
  controlSocket: string
  /** Signed, fsynced head of the audit chain, kept outside the vault it covers. */
  auditAnchor: string
  /** Written by a running node: pid, socket path, token for the control channel. */
  runFile: string
}

export function defaultHome (env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SECONDME_HOME
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.secondme')
}

export function homePaths (root: string): HomePaths {
  const abs = resolve(root)
  return {
    root: abs,
    keysDir: join(abs, 'keys'),
    keyring: join(abs, 'keys', 'keyring.json'),
    vaultDir: join(abs, 'vault'),
    config: join(abs, 'config.json'),
    modelsDir: join(abs, 'models'),
    controlSocket: join(abs, 'node.sock'),
    runFile: join(abs, 'node.json'),
    auditAnchor: join(abs, 'audit-anchor.json')
  }
}
