import { join } from 'node:path'
import { PUBLIC_SCOPE, normaliseTopic } from '../scope.js'
import { responderOf } from '../agent/ask.js'
import type { ConversationLog } from '../agent/conversations.js'
import type { AgentHost } from '../agent/types.js'
import type { Identity } from '../identity/index.js'
import type { Policy } from '../policy/index.js'
import { netPortsOf } from './policy-ports.js'
import type { NetConfig } from './config.js'
import type { MemoryConfig } from '../memory/types.js'
import type { NodeRole, RelayLimits, TransportKind } from './libp2p.js'
import type { ReachMode } from './reach.js'
import { NetNode } from './net-node.js'
import { MAX_SUCCESSIONS } from '../identity/index.js'
import type { NetDeps } from './ports.js'
import type { RateLimitInit } from './rate-limit.js'

export interface StartOptions {
  /** Override config.net (e.g. from `secondme start` flags). */
  transport?: TransportKind
  listen?: string[]
  bootstrap?: string[]
  /** Many nodes in one process. */
  simulation?: boolean
  /** Parts the protocols use; defaults come from the SecondMe's own policy, memory and agent. */
  deps?: NetDeps
  /** Per-peer request quota (default: config.net.rate). */
  rate?: RateLimitInit
  /** Announce profile and topics on the DHT. @default true */
  announce?: boolean
  role?: NodeRole
  relayLimits?: RelayLimits
  /** Public addresses to announce instead of the listen addresses. */
  announceAddresses?: string[]
  upnp?: boolean
  reachability?: ReachMode
}

/** What the network uses of a Second Me (a `SecondMe` is one): the agent's parts, keys and policy. */
export interface NetHost extends AgentHost {
  readonly identity: Identity
  readonly policy: Policy
  readonly settings: { readonly net: NetConfig, readonly memory: MemoryConfig }
  readonly conversations: ConversationLog
}

/** The protocol handlers' parts, taken from the SecondMe's own policy, memory and agent. */
export function netDepsOf (me: NetHost): NetDeps {
  return { ...netPortsOf(me.policy), recall: me.memory.scoped(), responder: responderOf(me), conversations: me.conversations }
}

/** Build and start the network node of `me` from config.net and the given overrides. */
export async function startNet (me: NetHost, options: StartOptions = {}): Promise<NetNode> {
  const config: NetConfig = me.settings.net
  // Announced topics are declared topics: the topic a peer asks for selects memories by meaning.
  for (const t of config.topics) if (!me.memory.declaredTopics().some(d => d.label === normaliseTopic(t))) await me.memory.declareTopic(t, undefined, { wordsOnly: true })
  const node = await NetNode.create({
    privateKey: me.identity.privateKey,
    transport: options.transport ?? config.transport,
    listen: options.listen ?? config.listen,
    bootstrap: options.bootstrap ?? config.bootstrap,
    ...(options.simulation === undefined ? {} : { simulation: options.simulation }),
    profile: () => {
      const bio = profileBio(me, config.bio)
      return {
        ...(me.config.displayName === undefined ? {} : { displayName: me.config.displayName }),
        ...(bio === undefined ? {} : { bio }),
        topics: announcedTopics(me, config.topics),
        ...(me.identity.successions.length === 0 ? {} : { succession: me.identity.successions.slice(-MAX_SUCCESSIONS) })
      }
    },
    deps: options.deps ?? netDepsOf(me),
    profileTtlMs: config.profileTtlMs,
    announceIntervalMs: config.announceIntervalMs,
    requestTimeoutMs: config.requestTimeoutMs,
    rate: options.rate ?? config.rate,
    ...(options.announce === undefined ? {} : { announce: options.announce }),
    role: options.role ?? config.role,
    relayLimits: { ...dropUndefined(config.relay), ...options.relayLimits },
    announceAddresses: options.announceAddresses ?? config.announce,
    upnp: options.upnp ?? config.upnp,
    reachability: options.reachability ?? config.reachability,
    // Peer ids and addresses only (public network information), beside the vault, not in it.
    ...((options.transport ?? config.transport) === 'tcp' && options.simulation !== true ? { peerStorePath: join(me.paths.root, 'peerstore') } : {})
  })
  // A peer's verified profile may prove it rotated its key: grants to its old id then follow it.
  node.directory.onSuccession = (trail) => { me.policy.successions.learn(trail) }
  await node.start()
  return node
}

function dropUndefined (limits: NetConfig['relay']): RelayLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined))
}

/** config.net.topics, plus declared topics that cover at least one memory a peer could be granted. */
function announcedTopics (me: NetHost, configured: readonly string[]): string[] {
  const shared = me.memory.declaredTopics().map(t => t.label).filter(l => me.memory.topicItems(l, { visibility: ['shareable', 'public'] }).length > 0)
  return [...new Set([...configured.map(normaliseTopic), ...shared])].slice(0, 50)
}

/** Longest bio a profile carries (ProfileSchema). */
const PROFILE_BIO_CHARS = 2000

/**
 * The bio a node announces: built from the owner's public facts only (a private or shareable fact
 * never reaches the profile), whole sentences up to the profile's limit; config.net.bio while no
 * fact is public.
 */
export function profileBio (me: Pick<NetHost, 'memory'>, configured: string | undefined): string | undefined {
  const bio = me.memory.bio({ scope: PUBLIC_SCOPE })
  let text = ''
  for (const s of bio.sentences) {
    const next = text === '' ? s.text : `${text} ${s.text}`
    if (next.length > PROFILE_BIO_CHARS) break
    text = next
  }
  return text === '' ? configured : text
}

