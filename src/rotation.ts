import { rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Identity, type KdfParams } from './identity/index.js'
import { readKeyring, writeKeyring } from './identity/keyfile.js'
import type { HomePaths } from './home.js'
import { AuditAnchor, syncDir } from './policy/audit-anchor.js'
import { AuditLog } from './policy/audit.js'
import type { Vault } from './vault/index.js'

// A key rotation changes two things that live apart: the keyring file and the audit log (in the
// vault). Neither order of two plain writes survives a crash between them: a new key without its
// audit entry, or an entry for a rotation that never happened. So the rotation commits in three
// steps, and the audit entry is the commit point:
//   1. the new keyring is written beside the current one (keyring.next.json, atomic and fsynced);
//   2. the audit entry "identity rotated from A to B" is appended (fsynced, anchored);
//   3. keyring.next.json replaces keyring.json.
// Every open settles a rotation left half-done (settleRotation): with the entry in the log it is
// finished (step 3), without it the staged keyring is dropped as if nothing happened.

/** The staged keyring of a rotation in progress. */
export function pendingKeyringPath (paths: HomePaths): string {
  return paths.keyring.replace(/\.json$/, '.next.json')
}

export function rotationDetail (from: string, to: string): string {
  return `identity rotated from ${from} to ${to}`.slice(0, 200)
}

/** Entries looked at for the commit record: it is the last one a rotation writes. */
const TAIL = 16

/**
 * Rotate the identity key of an open vault (the caller holds its lock and has checked the audit
 * chain). Returns the new identity once all three steps are done.
 */
export async function rotateIdentity (paths: HomePaths, identity: Identity, vault: Vault, passphrase: string, kdf: KdfParams): Promise<Identity> {
  const next = await identity.rotated()
  const staged = pendingKeyringPath(paths)
  await writeKeyring(staged, await next.seal(passphrase, kdf))
  await syncDir(dirname(staged))
  // Anchored with the current key: until step 3 that is the key this home opens with.
  const log = new AuditLog(vault, new AuditAnchor(paths.auditAnchor, identity))
  await log.append({ kind: 'keys', decision: 'info', detail: rotationDetail(identity.id, next.id) })
  await commit(paths)
  return next
}

/**
 * Finish or undo a rotation a crash interrupted; the identity to open the home with. Called with the
 * vault open (and locked) and before anything else writes the audit log.
 */
export async function settleRotation (paths: HomePaths, identity: Identity, vault: Vault, passphrase: string): Promise<Identity> {
  const staged = pendingKeyringPath(paths)
  let next: Identity
  try {
    next = await Identity.unseal(await readKeyring(staged), passphrase)
  } catch (err) {
    if ((err as { code?: string }).code === 'E_NO_HOME') return identity
    // A staged keyring that does not open was never committed (the entry is written after it).
    await rm(staged, { force: true })
    return identity
  }
  const detail = rotationDetail(identity.id, next.id)
  const tail = await new AuditLog(vault).list(TAIL)
  const committed = next.successions.at(-1)?.prev === identity.id && tail.some(e => e.kind === 'keys' && e.detail === detail)
  if (!committed) {
    await rm(staged, { force: true })
    return identity
  }
  await commit(paths)
  return next
}

async function commit (paths: HomePaths): Promise<void> {
  await rename(pendingKeyringPath(paths), paths.keyring)
  await syncDir(dirname(paths.keyring))
}
