import { z } from 'zod'
import { NetworkError, InputError } from '../errors.js'
import type { SecondMe } from '../node.js'
import type { NetNode } from '../net/net-node.js'
import { parsePeerId } from '../net/presence.js'
import { withDeadline } from '../net/deadline.js'
import { GRANT_ACTIONS, GrantTokenSchema, IntroAskSchema, type GrantAction, type IntroDecision } from '../net/ports.js'
import { SignedProfileSchema } from '../net/profile.js'
import { ConverseReplySchema } from '../net/protocols/converse.js'
import { MemoryItemSchema } from '../net/protocols/memory.js'
import { ConversationSchema } from '../agent/conversations.js'
import { VISIBILITIES } from '../scope.js'
import { defineOp } from './op.js'
import { errText, log } from '../log.js'

const logApi = log('api')

// Network ops run inside the process that runs the node (`secondme start`); other processes reach
// them through its control channel.

function netOf (me: SecondMe): NetNode {
  const net = me.net
  if (net === undefined || !net.running) throw new NetworkError('E_NODE_NOT_RUNNING', 'the node is not running (start it with `secondme start`)')
  return net
}

const Peer = z.string().min(1).max(128)

const PeerRow = z.object({ peerId: z.string(), displayName: z.string().nullable(), topics: z.array(z.string()), connected: z.boolean(), link: z.enum(['direct', 'relayed']).nullable() })
const FoundPeer = z.object({ peerId: z.string(), displayName: z.string().nullable(), bio: z.string().nullable(), topics: z.array(z.string()) })
const PeerField = { peer: z.string() }
/** The peer asked, with its decision (net/ports.ts IntroDecision). */
const IntroResult = z.discriminatedUnion('status', [
  z.object({ ...PeerField, status: z.literal('granted'), grant: GrantTokenSchema }),
  z.object({ ...PeerField, status: z.literal('counter'), offerId: z.string(), offer: IntroAskSchema }),
  z.object({ ...PeerField, status: z.literal('pending'), ticket: z.string() }),
  z.object({ ...PeerField, status: z.literal('refused'), code: z.string(), reason: z.string() })
])

export const netStatusOp = defineOp({
  name: 'net.status',
  summary: 'peer id, listen addresses, connected peers, last announcement',
  params: z.object({}),
  result: z.object({ peerId: z.string(), addresses: z.array(z.string()), connected: z.number(), lastAnnounce: z.object({ profilePeers: z.number(), providerPeers: z.number(), topics: z.number() }).nullable() }),
  needsNetwork: true,
  run: async (me) => {
    const net = netOf(me)
    return { peerId: net.peerId, addresses: net.multiaddrs(), connected: net.libp2p.getPeers().length, lastAnnounce: net.presence.lastAnnounce ?? null }
  }
})

export const hangupOp = defineOp({
  name: 'net.hangup',
  summary: 'close every connection to a peer (the next request dials it afresh)',
  params: z.object({ peer: Peer }),
  result: z.object({ peer: z.string(), closed: z.boolean() }),
  needsNetwork: true,
  run: async (me, p) => {
    const net = netOf(me)
    await net.libp2p.hangUp(parsePeerId(p.peer))
    return { peer: p.peer, closed: true }
  }
})

export const peersOp = defineOp({
  name: 'peers',
  summary: 'connected peers and the profiles this node has seen',
  params: z.object({}),
  result: z.object({ peers: z.array(PeerRow) }),
  needsNetwork: true,
  run: async (me) => {
    const net = netOf(me)
    const links = net.links()
    const known = net.directory.list().map(s => ({ peerId: s.profile.peerId, displayName: s.profile.displayName ?? null, topics: s.profile.topics, connected: links.has(s.profile.peerId), link: links.get(s.profile.peerId) ?? null }))
    const seen = new Set(known.map(k => k.peerId))
    const others = [...links].filter(([p]) => !seen.has(p)).map(([peerId, link]) => ({ peerId, displayName: null, topics: [], connected: true, link }))
    return { peers: [...known, ...others] }
  }
})

export const profileOp = defineOp({
  name: 'profile',
  summary: 'this node\'s signed profile, or a peer\'s from the DHT',
  params: z.object({ peer: Peer.optional() }),
  result: SignedProfileSchema,
  needsNetwork: true,
  run: async (me, p) => {
    const net = netOf(me)
    const peer = p.peer
    if (peer === undefined || peer === net.peerId) return await net.ownProfile()
    const found = net.directory.get(peer) ?? await withDeadline(15_000, undefined, async (s) => await net.presence.lookup(peer, s))
    if (found === undefined) throw new InputError('E_NOT_FOUND', `no profile found for ${peer}`)
    return found
  }
})

export const findOp = defineOp({
  name: 'find',
  summary: 'peers that announced a topic, with their profiles',
  params: z.object({ topic: z.string().min(1).max(100), limit: z.number().int().min(1).max(100).default(20) }),
  result: z.object({ topic: z.string(), peers: z.array(FoundPeer) }),
  needsNetwork: true,
  run: async (me, p) => {
    const net = netOf(me)
    const ids = await withDeadline(15_000, undefined, async (signal) => await net.presence.findTopic(p.topic, { limit: p.limit, signal }))
    const peers = await Promise.all(ids.map(async peerId => {
      const profile = net.directory.get(peerId) ?? await withDeadline(10_000, undefined, async (s) => await net.presence.lookup(peerId, s)).catch((err: unknown) => { logApi('no profile for %s: %s', peerId, errText(err)); return undefined })
      return { peerId, displayName: profile?.profile.displayName ?? null, bio: profile?.profile.bio ?? null, topics: profile?.profile.topics ?? [] }
    }))
    return { topic: p.topic, peers }
  }
})

export const handshakeOp = defineOp({
  name: 'handshake',
  summary: 'exchange signed profiles with a peer',
  params: z.object({ peer: Peer }),
  result: SignedProfileSchema,
  needsNetwork: true,
  run: async (me, p) => await netOf(me).client.handshake(p.peer)
})

const IntroParams = z.object({
  peer: Peer,
  actions: z.array(z.enum(GRANT_ACTIONS)).min(1).default(['memory:read', 'converse']),
  visibility: z.array(z.enum(VISIBILITIES)).min(1).default(['shareable']),
  topics: z.array(z.string().min(1).max(100)).max(50).optional(),
  purpose: z.string().min(1).max(500).default('to get to know each other'),
  durationSec: z.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600),
  /** Poll a pending ask instead of asking again. */
  ticket: z.string().max(100).optional(),
  /** Accept a counter-offer. */
  accept: z.string().max(100).optional()
})

export const introduceOp = defineOp({
  name: 'introduce',
  summary: 'ask a peer for an introduction and a grant (or poll / accept a counter-offer)',
  params: IntroParams,
  result: IntroResult,
  needsNetwork: true,
  run: async (me, p) => {
    const net = netOf(me)
    let decision: IntroDecision
    if (p.ticket !== undefined) decision = await net.client.pollIntro(p.peer, p.ticket)
    else if (p.accept !== undefined) decision = await net.client.acceptOffer(p.peer, p.accept)
    else {
      // Best effort: the introduction below reports an unreachable peer with its own code.
      await net.client.handshake(p.peer).catch((err: unknown) => { logApi('handshake with %s: %s', p.peer, errText(err)) })
      const scope = { visibility: p.visibility, ...(p.topics === undefined ? {} : { topics: p.topics }) }
      decision = await net.client.introduce(p.peer, { actions: p.actions, scope, purpose: p.purpose, durationSec: p.durationSec }, me.config.displayName)
    }
    // The grant is checked (signature, issuer = the peer, audience = us) as it is stored.
    if (decision.status === 'granted') await me.policy.importGrant(decision.grant)
    return { peer: p.peer, ...decision }
  }
})

async function grantFor (me: SecondMe, peer: string, action: GrantAction, given: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
  if (given !== undefined) return given
  const held = await me.policy.receivedGrantFor(peer, action)
  if (held === undefined) throw new InputError('E_NOT_FOUND', `no valid ${action} grant from ${peer}: ask with \`secondme introduce ${peer}\` first`)
  return held as unknown as Record<string, unknown>
}

export const queryOp = defineOp({
  name: 'query',
  summary: 'query a peer\'s memories under the grant it gave this node',
  params: z.object({ peer: Peer, text: z.string().min(1).max(1000), k: z.number().int().min(1).max(20).default(5), grant: GrantTokenSchema.optional() }),
  result: z.object({ peer: z.string(), items: z.array(MemoryItemSchema) }),
  needsNetwork: true,
  run: async (me, p) => {
    const items = await netOf(me).client.queryMemory(p.peer, await grantFor(me, p.peer, 'memory:read', p.grant), p.text, p.k)
    return { peer: p.peer, items }
  }
})

export const converseOp = defineOp({
  name: 'converse',
  summary: 'send one turn of a conversation to a peer\'s agent',
  params: z.object({
    peer: Peer,
    message: z.string().min(1).max(4000),
    conversation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
    turn: z.number().int().min(0).max(1000).optional(),
    grant: GrantTokenSchema.optional()
  }),
  result: ConverseReplySchema.extend(PeerField),
  needsNetwork: true,
  run: async (me, p) => {
    const grant = await grantFor(me, p.peer, 'converse', p.grant)
    const reply = await netOf(me).client.converse(p.peer, grant, p.message, {
      ...(p.conversation === undefined ? {} : { conversation: p.conversation }),
      ...(p.turn === undefined ? {} : { turn: p.turn })
    })
    await me.conversations.record({ peer: p.peer, conversation: reply.conversation, direction: 'out', question: p.message, answer: reply.text, memories: reply.cited })
    return { peer: p.peer, ...reply }
  }
})

export const conversationsOp = defineOp({
  name: 'conversations',
  summary: 'transcripts of agent-to-agent conversations (ours with peers and peers\' with ours), newest first, with the memories each answer disclosed',
  params: z.object({ peer: Peer.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
  result: z.object({ conversations: z.array(ConversationSchema) }),
  run: async (me, p) => ({ conversations: await me.conversations.list({ ...(p.peer === undefined ? {} : { peer: p.peer }), limit: p.limit }) })
})

export const netOps = [netStatusOp, hangupOp, peersOp, profileOp, findOp, handshakeOp, introduceOp, queryOp, converseOp, conversationsOp] as const
