import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SecondMe } from '../node.js'
import type { KdfParams } from '../identity/index.js'
import type { TransportKind } from '../net/libp2p.js'
import type { MemorySeed, Persona } from './personas.js'
import { errText, log } from '../log.js'

const logCluster = log('sim')

// N real Second Mes in one process: each its own identity, encrypted vault in a temp dir and
// persona, started on the memory transport (or TCP on loopback) and bootstrapped from node 0.

export const SIM_KDF: KdfParams = { N: 2 ** 10, r: 8, p: 1 }
const PASSPHRASE = 'simulation-only-passphrase'

export interface SimNode {
  index: number
  persona: Persona
  home: string
  peerId: string
  me: SecondMe | undefined
  /** Ground truth: the planted memory behind each memory id of this node. */
  planted: Map<string, MemorySeed>
}

export interface ClusterInit {
  root: string
  transport: TransportKind
  /** Distinguishes memory-transport addresses of several runs in one process. */
  runId: string
  requestTimeoutMs: number
}

/** The part of the memory area the simulator plants personas through (looked up structurally). */

export class Cluster {
  readonly nodes: SimNode[] = []
  readonly #init: ClusterInit

  constructor (init: ClusterInit) {
    this.#init = init
  }

  get live (): SimNode[] {
    return this.nodes.filter(n => n.me?.net?.running === true)
  }

  /** Create a home per persona: keys, config (lexical-only memory, announced topics), planted memories. */
  async create (personas: readonly Persona[], onEach?: (done: number) => void): Promise<void> {
    await mkdir(this.#init.root, { recursive: true })
    for (const persona of personas) {
      const index = this.nodes.length
      const home = join(this.#init.root, `node-${index}`)
      const created = await SecondMe.init({ home, passphrase: PASSPHRASE, kdf: SIM_KDF, displayName: persona.name })
      const peerId = created.peerId
      await created.close()
      await this.#writeConfig(home, persona)
      const me = await SecondMe.open({ home, passphrase: PASSPHRASE })
      const planted = new Map<string, MemorySeed>()
      for (const seed of persona.memories) {
        const { id, added } = await me.memory.addText(seed.text, { source: `sim:${persona.key}`, visibility: seed.visibility, topics: seed.topics })
        // A repeated text is one memory, stored as first planted: the ground truth follows that.
        if (added || !planted.has(id)) planted.set(id, seed)
      }
      this.nodes.push({ index, persona, home, peerId, me, planted })
      onEach?.(index + 1)
    }
  }

  async #writeConfig (home: string, persona: Persona): Promise<void> {
    const path = join(home, 'config.json')
    const config = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    config.memory = { ...(config.memory as object | undefined), embedder: 'none', owner: persona.name }
    config.net = {
      ...(config.net as object | undefined),
      transport: this.#init.transport,
      bio: persona.bio,
      topics: persona.topics,
      requestTimeoutMs: this.#init.requestTimeoutMs,
      // A simulation asks far more often than a person: the per-peer quota still applies, higher.
      rate: { capacity: 60, refillPerSecond: 30 }
    }
    await writeFile(path, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  }

  #listen (index: number, generation: number): string[] {
    return this.#init.transport === 'memory' ? [`/memory/sim-${this.#init.runId}-${index}-${generation}`] : ['/ip4/127.0.0.1/tcp/0']
  }

  /** A running node's first listen address, with its peer id. */
  #addressOf (index: number): string | undefined {
    const net = this.nodes[index]?.me?.net
    const addr = net?.running === true ? net.multiaddrs()[0] : undefined
    if (net === undefined || addr === undefined) return undefined
    return addr.includes('/p2p/') ? addr : `${addr}/p2p/${net.peerId}`
  }

  /**
   * Where node `index` joins: node 0 and up to two other running nodes (the one started just
   * before it and one halfway back), fixed by the index so every run joins alike. With node 0 as
   * everyone's only way in, a newcomer's routing table held whatever one busy node answered;
   * several seeds spread the first dials and keep the network joinable when one seed is slow.
   */
  bootstrapAddrs (index: number): string[] {
    // A restarted node's usual seeds may be down (churn): the next running nodes stand in.
    const candidates = [0, index - 1, Math.floor(index / 2), ...this.nodes.keys()]
    const seeds = new Set<string>()
    for (const i of candidates) {
      const addr = i === index ? undefined : this.#addressOf(i)
      if (addr !== undefined) seeds.add(addr)
      if (seeds.size === 3) break
    }
    return [...seeds]
  }

  #generations = new Map<number, number>()

  /**
   * Start a node's network. Its own announcement loop is held back: a node that announces into a
   * half-built network puts its records on the wrong peers, so the simulator announces every node
   * itself once the network is up (`announce`).
   */
  async startNode (index: number): Promise<void> {
    const node = this.nodes[index]
    if (node === undefined) return
    node.me ??= await SecondMe.open({ home: node.home, passphrase: PASSPHRASE })
    const generation = (this.#generations.get(index) ?? 0) + 1
    this.#generations.set(index, generation)
    await node.me.start({
      transport: this.#init.transport,
      listen: this.#listen(index, generation),
      bootstrap: index === 0 ? [] : this.bootstrapAddrs(index),
      simulation: true
    })
    node.me.net?.presence.stop()
  }

  /** Put a node's profile and topic records on the DHT now. */
  async announce (index: number, signal: AbortSignal): Promise<{ profilePeers: number }> {
    const net = this.nodes[index]?.me?.net
    if (net === undefined) return { profilePeers: 0 }
    return await net.announce(signal)
  }

  /** Stop a node completely (network and vault), as a process that went away. */
  async stopNode (index: number): Promise<void> {
    const node = this.nodes[index]
    if (node?.me === undefined) return
    await node.me.close()
    node.me = undefined
  }

  async close (): Promise<void> {
    for (const node of this.nodes) {
      // A node whose close hangs (a libp2p call that ignores its abort) must not keep the run open.
      let timer: NodeJS.Timeout | undefined
      const giveUp = new Promise<void>(resolve => { timer = setTimeout(resolve, 30_000) })
      await Promise.race([node.me?.close().catch((err: unknown) => { logCluster.error('node close: %s', errText(err)) }), giveUp])
      clearTimeout(timer)
      node.me = undefined
    }
    await rm(this.#init.root, { recursive: true, force: true })
  }
}
