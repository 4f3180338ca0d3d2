import { AgentCard, A2A_VERSION_HEADER, Extensions, type AgentSkill } from '@a2a-js/sdk'
import { DefaultRequestHandler, InMemoryTaskStore, JsonRpcTransportHandler, ServerCallContext, validateVersion } from '@a2a-js/sdk/server'
import type { Context, Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { SecondMeError } from '../errors.js'
import { netDepsOf } from '../net/start.js'
import { signProfile, type SignedProfile } from '../net/profile.js'
import { BEARER_AUDIENCE } from '../policy/bearer.js'
import { PUBLIC_SCOPE } from '../scope.js'
import type { SecondMe } from '../node.js'
import { A2aCaller, A2A_PROTOCOL, SecondMeA2aExecutor } from './a2a-agent.js'
import { sendError } from './errors.js'
import { bearerOf, clientOf } from './guard.js'
import type { DoorContext } from './server.js'
import { HTTP_API_VERSION } from './version.js'

// The A2A door: the agent card at /.well-known/agent-card.json (no auth), built from the node's
// signed public profile, and the JSON-RPC endpoint at /a2a (message send and stream) through the
// official SDK's request handler. Callers are strangers (public memories) or hold a bearer grant.

export const AGENT_CARD_PATH = '/.well-known/agent-card.json'
export const A2A_PATH = '/a2a'
const PROFILE_EXTENSION = 'urn:secondme:signed-profile:1'

/** The signed profile the network announces; signed here too when the network is not running. */
async function signedProfile (me: SecondMe): Promise<SignedProfile> {
  if (me.net?.running === true) return await me.net.ownProfile()
  const net = me.settings.net
  return await signProfile(me.identity.privateKey, {
    ...(me.config.displayName === undefined ? {} : { displayName: me.config.displayName }),
    ...(net.bio === undefined ? {} : { bio: net.bio }),
    topics: net.topics,
    protocols: [],
    addresses: []
  }, 3600_000)
}

function skillOf (topic: string): AgentSkill {
  return { id: `topic:${topic}`, name: topic, description: `Ask about ${topic}`, tags: [topic], examples: [], inputModes: ['text/plain'], outputModes: ['text/plain'], securityRequirements: [] }
}

export async function agentCard (me: SecondMe, baseUrl: string): Promise<AgentCard> {
  const signed = await signedProfile(me)
  const p = signed.profile
  const name = p.displayName ?? `Second Me ${p.peerId.slice(-8)}`
  return {
    name,
    description: p.bio ?? `${name}'s Second Me: answers from the memories its owner made public (or that your grant covers).`,
    supportedInterfaces: [{ url: `${baseUrl}${A2A_PATH}`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: undefined,
    version: HTTP_API_VERSION,
    capabilities: { streaming: true, pushNotifications: false, extensions: [{ uri: PROFILE_EXTENSION, description: 'the signed profile this card is built from', required: false, params: { ...signed } }] },
    securitySchemes: {
      grant: { scheme: { $case: 'httpAuthSecurityScheme', value: { scheme: 'bearer', bearerFormat: 'secondme bearer grant (smg1.…)', description: 'a bearer grant from the owner (`secondme grant --bearer`); without one you are a stranger and see public memories only' } } }
    },
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'converse', name: 'converse', description: `Talk with ${name}'s Second Me`, tags: ['conversation'], examples: ['What do you do?'], inputModes: ['text/plain'], outputModes: ['text/plain'], securityRequirements: [] }, ...p.topics.map(skillOf)],
    signatures: []
  }
}

/**
 * The caller of one request: no Authorization header is a stranger; a bearer grant is verified
 * (signature, issued by this node to "whoever holds it", not revoked or expired, allows converse).
 * A refused grant is audited and answered 401, and nothing runs.
 */
async function callerOf (c: Context, me: SecondMe, audit: (code: string) => Promise<void>): Promise<A2aCaller> {
  const given = bearerOf(c)
  if (given === undefined) return new A2aCaller(`a2a:anonymous@${clientOf(c)}`, PUBLIC_SCOPE)
  try {
    const verified = await me.policy.verify(given, { peer: BEARER_AUDIENCE, action: 'converse' })
    return new A2aCaller(`a2a:bearer:${verified.grantId}`, verified.scope, verified.grantId)
  } catch (err) {
    await audit(err instanceof SecondMeError ? err.code : 'E_INTERNAL')
    throw err
  }
}

export function mountA2a (app: Hono, door: DoorContext): void {
  const { me } = door
  const deps = netDepsOf(me)
  const executor = new SecondMeA2aExecutor({ recall: deps.recall ?? me.memory.scoped(), responder: deps.responder!, ...(deps.audit === undefined ? {} : { audit: deps.audit }), ...(deps.conversations === undefined ? {} : { conversations: deps.conversations }) })
  let handler: { card: AgentCard, rpc: JsonRpcTransportHandler } | undefined
  const ready = async (): Promise<{ card: AgentCard, rpc: JsonRpcTransportHandler }> => {
    if (handler !== undefined) return handler
    const card = await agentCard(me, door.baseUrl())
    handler = { card, rpc: new JsonRpcTransportHandler(new DefaultRequestHandler(card, new InMemoryTaskStore(), executor)) }
    return handler
  }
  app.get(AGENT_CARD_PATH, async c => {
    c.header('Cache-Control', 'no-cache')
    return c.json(AgentCard.toJSON(await agentCard(me, door.baseUrl())) as Record<string, unknown>)
  })
  app.post(A2A_PATH, async c => {
    let caller: A2aCaller
    try {
      caller = await callerOf(c, me, async (code) => { await deps.audit?.append({ kind: 'refuse', peer: 'a2a:bearer', protocol: A2A_PROTOCOL, action: 'converse', code }) })
    } catch (err) {
      c.header('WWW-Authenticate', 'Bearer realm="secondme-a2a"')
      return sendError(c, err, 401)
    }
    return await rpc(c, await ready(), caller)
  })
}

async function rpc (c: Context, h: { card: AgentCard, rpc: JsonRpcTransportHandler }, caller: A2aCaller): Promise<Response> {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    return c.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
  }
  const context = new ServerCallContext({ user: caller, requestedVersion: c.req.header(A2A_VERSION_HEADER) ?? '1.0', requestedExtensions: Extensions.parseServiceParameter(undefined) })
  try {
    validateVersion(context.requestedVersion, h.card, 'JSONRPC')
    const out = await h.rpc.handle(body as Record<string, unknown>, context)
    if (!(Symbol.asyncIterator in out)) return c.json(out)
    return streamSSE(c, async sse => {
      try {
        for await (const event of out) await sse.writeSSE({ data: JSON.stringify(event) })
      } catch (err) {
        await sse.writeSSE({ event: 'error', data: JSON.stringify({ jsonrpc: '2.0', id: idOf(body), error: JsonRpcTransportHandler.mapToJSONRPCError(err) }) })
      }
    })
  } catch (err) {
    return c.json({ jsonrpc: '2.0', id: idOf(body), error: JsonRpcTransportHandler.mapToJSONRPCError(err) })
  }
}

function idOf (body: unknown): string | number | null {
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : null
  return typeof id === 'string' || typeof id === 'number' ? id : null
}
