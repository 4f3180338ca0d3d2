import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { StorageError } from './errors.js'
import { defaultConfig, readConfig, writeConfig, type Config } from './config.js'
import { parseHomeSettings, type HomeSettings } from './home-config.js'
import { homePaths, type HomePaths } from './home.js'
import { tightenHome } from './home-perms.js'
import { Identity, DEFAULT_KDF, type KdfParams } from './identity/index.js'
import { readKeyring, writeKeyring } from './identity/keyfile.js'
import { Vault, type RepairReporter } from './vault/index.js'
import { openMemory, type Memory, MEMORY_STORES, type MemoryOptions } from './memory/index.js'
import { Models } from './model/models.js'
import { MODEL_STORES } from './model/registry.js'
import type { NetNode, NetworkReport } from './net/net-node.js'
import type { StartOptions } from './net/start.js'
import { Policy, POLICY_STORES } from './policy/index.js'
import { AuditAnchor } from './policy/audit-anchor.js'
import { AuditLog, GENESIS } from './policy/audit.js'
import { ConversationLog, CONVERSATIONS_STORE } from './agent/conversations.js'
import { pendingKeyringPath, rotateIdentity, settleRotation } from './rotation.js'

export interface InitOptions {
  home: string
  passphrase: string
  /** Replace an existing home (its data is deleted). @default false */
  force?: boolean
  displayName?: string
  /** Key-derivation cost; lower only for simulations and tests. */
  kdf?: KdfParams
  /** Memory options: inject or disable (null) the embedder, e.g. one shared by many nodes. */
  memory?: MemoryOptions
}

export interface OpenOptions {
  home: string
  passphrase: string
  /** Told of each corrupt record dropped or quarantined while reading. @default a warning on stderr */
  onRepair?: RepairReporter
  /** Memory options: inject or disable (null) the embedder, e.g. one shared by many nodes. */
  memory?: MemoryOptions
}

export interface StatusReport {
  peerId: string
  home: string
  displayName: string | undefined
  schemaVersion: number
  stores: Record<string, { count: number, bytes: number }>
  diskBytes: number
  /** While the node runs (`secondme start`): reachability, relays, addresses. */
  network?: NetworkReport
}

/**
 * One Second Me: identity, encrypted vault and the parts built on them. Every door (CLI, control
 * channel, simulator) goes through this class; it holds no I/O at construction.
 */
export class SecondMe {
  readonly paths: HomePaths
  readonly identity: Identity
  readonly vault: Vault
  readonly config: Config
  /** config.json's area sections, parsed once at open (a bad one is E_BAD_CONFIG naming the field). */
  readonly settings: HomeSettings
  /** Model registry and loaded LLM backends (lazy: nothing loads until a model is asked). */
  readonly models: Models
  /** The network node while `start()`ed; closed by `close()`. */
  net: NetNode | undefined
  /** Grants, revocations, standing rules, consent queue and audit log (src/policy). */
  readonly policy: Policy
  /** Transcripts of agent-to-agent conversations, both ways, with what each turn disclosed. */
  readonly conversations: ConversationLog
  #memory: Memory | undefined
  #closed = false

  private constructor (paths: HomePaths, identity: Identity, vault: Vault, config: Config, settings: HomeSettings) {
    this.paths = paths
    this.identity = identity
    this.vault = vault
    this.config = config
    this.settings = settings
    this.models = new Models({ vault, modelsDir: paths.modelsDir, settings: () => this.settings.model })
    this.policy = new Policy({ vault, identity, anchorPath: paths.auditAnchor })
    this.conversations = new ConversationLog(vault)
  }

  /** The owner's memory (L0 items, L1 topics/bio, hybrid recall), opened with the node. */
  get memory (): Memory {
    if (this.#memory === undefined) throw new StorageError('E_CLOSED', 'memory is not open')
    return this.#memory
  }

  get peerId (): string {
    return this.identity.id
  }

  static async init (options: InitOptions): Promise<SecondMe> {
    const paths = homePaths(options.home)
    if (await exists(paths.keyring) || await exists(paths.vaultDir)) {
      if (options.force !== true) throw new StorageError('E_HOME_EXISTS', `${paths.root} is already initialised (use --force to replace it and delete its data)`)
      await rm(paths.vaultDir, { recursive: true, force: true })
      await rm(paths.keyring, { force: true })
      await rm(pendingKeyringPath(paths), { force: true })
      await rm(paths.auditAnchor, { force: true })
    }
    await mkdir(paths.root, { recursive: true, mode: 0o700 })
    const identity = await Identity.generate()
    const config = { ...defaultConfig(), ...(options.displayName === undefined ? {} : { displayName: options.displayName }) }
    const vault = await Vault.open(paths.vaultDir, identity.dataKey, { create: true })
    await chmod(paths.vaultDir, 0o700)
    await writeConfig(paths.config, config)
    await new AuditAnchor(paths.auditAnchor, identity).create(-1, GENESIS)
    // The key file is written last: a home without it is not initialised, so a crash mid-init is retried cleanly.
    await writeKeyring(paths.keyring, await identity.seal(options.passphrase, options.kdf ?? DEFAULT_KDF))
    await tightenHome(paths)
    return await SecondMe.#assemble(paths, identity, vault, config, options.memory)
  }

  static async open (options: OpenOptions): Promise<SecondMe> {
    const paths = homePaths(options.home)
    const sealed = await readKeyring(paths.keyring)
    const config = await readConfig(paths.config)
    parseHomeSettings(config, paths.config)
    const unsealed = await Identity.unseal(sealed, options.passphrase)
    const vault = await Vault.open(paths.vaultDir, unsealed.dataKey, { sync: config.vault.sync, ...(options.onRepair === undefined ? {} : { onRepair: options.onRepair }) })
    // A rotation a crash interrupted is finished or undone before anything else reads the keys.
    const identity = await settleRotation(paths, unsealed, vault, options.passphrase).catch(async (err: unknown) => { await vault.close(); throw err })
    // After the vault opens: LevelDB writes new table files while it recovers its log.
    await tightenHome(paths)
    return await SecondMe.#assemble(paths, identity, vault, config, options.memory)
  }

  /**
   * Re-seal the keys under a new passphrase; the data itself is not re-encrypted. `validate` judges the new passphrase once the old one is proven (a wrong one is reported first).
   */
  static async changePassphrase (home: string, oldPassphrase: string, newPassphrase: string, validate?: (passphrase: string) => void): Promise<void> {
    const paths = homePaths(home)
    // A rotation a crash left half-done is settled first, under the passphrase it was staged with.
    if (await exists(pendingKeyringPath(paths))) await (await SecondMe.open({ home, passphrase: oldPassphrase, memory: { embedder: null } })).close()
    const sealed = await readKeyring(paths.keyring)
    const identity = await Identity.unseal(sealed, oldPassphrase)
    validate?.(newPassphrase)
    const { N, r, p } = sealed.kdf
    await writeKeyring(paths.keyring, await identity.seal(newPassphrase, { N, r, p }))
  }

  /**
   * `secondme keys rotate`: a new identity key (new peer id) with a succession record signed by the
   * old key and the new one, kept in the keyring and published in the profile. The node must not be
   * running (the vault lock says so: E_HOME_LOCKED). Grants this node issued under the old id stay
   * valid; peers that granted the old id follow the trail. The vault data key is kept.
   */
  static async rotateKeys (home: string, passphrase: string): Promise<{ previous: string, peerId: string, rotations: number }> {
    const paths = homePaths(home)
    const sealed = await readKeyring(paths.keyring)
    const config = await readConfig(paths.config)
    const unsealed = await Identity.unseal(sealed, passphrase)
    const vault = await Vault.open(paths.vaultDir, unsealed.dataKey, { sync: config.vault.sync })
    try {
      const identity = await settleRotation(paths, unsealed, vault, passphrase)
      // A broken audit chain must be looked at first; rotating would re-sign its anchor.
      await new AuditLog(vault, new AuditAnchor(paths.auditAnchor, identity)).assertIntact()
      const { N, r, p } = sealed.kdf
      const next = await rotateIdentity(paths, identity, vault, passphrase, { N, r, p })
      return { previous: identity.id, peerId: next.id, rotations: next.successions.length }
    } finally {
      await vault.close()
      await tightenHome(paths)
    }
  }

  static async #assemble (paths: HomePaths, identity: Identity, vault: Vault, config: Config, memory?: MemoryOptions): Promise<SecondMe> {
    const me = new SecondMe(paths, identity, vault, config, parseHomeSettings(config, paths.config))
    try {
      me.#memory = await openMemory(vault, config.memory, memory, config.displayName)
    } catch (err) {
      // A bad memory config must not leave the vault locked for the next attempt.
      await vault.close()
      throw err
    }
    return me
  }

  async status (): Promise<StatusReport> {
    const stores: StatusReport['stores'] = {}
    for (const name of KNOWN_STORES) {
      const store = this.vault.store(name)
      const count = await store.count()
      if (count > 0) stores[name] = { count, bytes: await store.storedBytes() }
    }
    return {
      peerId: this.peerId,
      home: this.paths.root,
      displayName: this.config.displayName,
      schemaVersion: await this.vault.schemaVersion(),
      stores,
      diskBytes: await dirSize(this.paths.vaultDir),
      ...(this.net?.running === true ? { network: this.net.network() } : {})
    }
  }

  /** Join the network: libp2p node, DHT presence and the /secondme/* protocols. */
  async start (options: StartOptions = {}): Promise<NetNode> {
    if (this.#closed) throw new StorageError('E_CLOSED', 'this Second Me is closed')
    if (this.net !== undefined) return this.net
    // A node whose audit log lost or changed entries must not serve peers until the owner looks.
    await this.policy.audit.assertIntact()
    // Loaded on demand: commands that never touch the network do not pay for libp2p.
    const { startNet } = await import('./net/start.js')
    this.net = await startNet(this, options)
    return this.net
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.net?.stop()
    // Refusal entries are queued without waiting for the disk: write them before the vault closes.
    await this.policy.audit.flush()
    await this.models.close()
    await this.#memory?.close()
    await this.vault.close()
    // Files LevelDB made since open follow the process umask; the CLI sets 077, a library user may not.
    await tightenHome(this.paths)
  }

  async [Symbol.asyncDispose] (): Promise<void> {
    await this.close()
  }
}

/** Stores reported by `status`; each area adds the names it writes. */
export const KNOWN_STORES: string[] = [...MODEL_STORES, ...MEMORY_STORES, ...POLICY_STORES, CONVERSATIONS_STORE]

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

async function dirSize (dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(`${entry.parentPath}/${entry.name}`)).size
  }
  return total
}
