import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecondMeError } from '../errors.js'
import type { SecondMe } from '../node.js'
import { Cluster } from './cluster.js'
import type { OpName, ParamsOf, ResultOf } from '../api/index.js'
import { runCoreOp } from './context.js'
import { LeakDetector } from './leaks.js'
import { approveAsk, pendingAsks } from './owner.js'
import { buildPersonas, type Persona } from './personas.js'
import { Rng } from './prng.js'

// `npm start`: a small local network of real Second Mes whose agents find each other by topic,
// introduce, share a permitted memory, refuse a private one and converse — told as a transcript.

export interface ShowcaseOptions {
  dataFile: string
  nodes?: number
  seed?: string
  workDir?: string
  /** Where the transcript goes, one line at a time. */
  say: (...lines: string[]) => void
  /**
   * Called after the story with the running nodes (the asker first); the network stays up until it
   * resolves (`npm start` on a terminal serves a dashboard of one node until Ctrl+C).
   */
  linger?: (nodes: SecondMe[]) => Promise<void>
}

export interface ShowcaseSummary {
  nodes: number
  asker: string
  peer: string
  topic: string
  found: number
  granted: boolean
  shared: number
  privateRefused: boolean
  privateAskRefused: string
  turns: number
  leaks: number
  seconds: number
}


async function op<N extends OpName> (me: SecondMe, name: N, params: ParamsOf<N>): Promise<ResultOf<N>> {
  return await runCoreOp(me, name, params)
}

function short (text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

export async function showcase (options: ShowcaseOptions): Promise<ShowcaseSummary> {
  const t0 = performance.now()
  const say = options.say
  const personas = await buildPersonas(options.nodes ?? 4, new Rng(options.seed ?? 'showcase'), { maxMemories: 80, generatedFacts: 12, topicsPerPersona: 3, dataFile: options.dataFile })
  const runId = `demo-${process.pid}-${randomBytes(3).toString('hex')}`
  const cluster = new Cluster({ root: options.workDir ?? join(tmpdir(), `secondme-${runId}`), transport: 'memory', runId, requestTimeoutMs: 10_000 })
  try {
    say(`Starting ${personas.length} Second Mes on an in-process network (each with its own keys and encrypted memory):`)
    await cluster.create(personas)
    for (const node of cluster.nodes) await cluster.startNode(node.index)
    for (const node of cluster.nodes) await cluster.announce(node.index, AbortSignal.timeout(30_000))
    for (const node of cluster.nodes) say(`  ${node.persona.name.padEnd(10)} ${node.planted.size} memories; announces ${node.persona.topics.join(', ')}`)
    const summary = await story(cluster, personas, say, t0)
    await options.linger?.(cluster.nodes.flatMap(n => n.me === undefined ? [] : [n.me]))
    return summary
  } finally {
    await cluster.close()
  }
}

/** The asker is node 0; the topic is one of node 1's that node 0 does not announce itself, if any. */
function choose (personas: readonly Persona[]): { topic: string } {
  const mine = new Set(personas[0]?.topics ?? [])
  const theirs = personas[1]?.topics ?? []
  return { topic: theirs.find(t => !mine.has(t)) ?? theirs[0] ?? 'family' }
}

async function story (cluster: Cluster, personas: readonly Persona[], say: (...lines: string[]) => void, t0: number): Promise<ShowcaseSummary> {
  const leaks = new LeakDetector(personas.map(p => p.canary))
  const asker = cluster.nodes[0]!
  const me = asker.me!
  const { topic } = choose(personas)
  const received = <T>(value: T): T => { leaks.scan(0, 'showcase', value); return value }

  say('', `1. ${asker.persona.name}'s agent asks the network: who knows about "${topic}"?`)
  const found = received(await op(me, 'find', { topic }))
  for (const p of found.peers) say(`   found ${p.displayName ?? p.peerId}: ${p.bio ?? ''}`)
  const peerNode = cluster.nodes.find(n => n.peerId === found.peers.find(p => p.peerId === cluster.nodes[1]?.peerId)?.peerId) ??
    cluster.nodes.find(n => n.peerId === found.peers[0]?.peerId) ?? cluster.nodes[1]!
  const peer = peerNode.persona.name

  say('', `2. ${asker.persona.name} asks ${peer} for an introduction: read and converse about "${topic}" (shareable memories only).`)
  const first = received(await op(me, 'introduce', { peer: peerNode.peerId, topics: [topic], visibility: ['shareable'], purpose: `we both care about ${topic}`, durationSec: 3600 }))
  say(`   ${peer}'s node answers: ${first.status}${first.status === 'pending' ? ' (waiting for the owner)' : ''}`)
  const ask = (await pendingAsks(peerNode.me!)).find(a => a.peer === asker.peerId)
  if (ask !== undefined) {
    await approveAsk(peerNode.me!, ask.id, true)
    say(`   ${peer} (the owner) approves the request in the consent queue.`)
  }
  const intro = first.status === 'pending' ? received(await op(me, 'introduce', { peer: peerNode.peerId, ticket: first.ticket })) : first
  const granted = intro.status === 'granted'
  say(`   ${asker.persona.name} polls: ${intro.status}${intro.status === 'granted' ? `, a signed grant valid until ${new Date(Number(intro.grant.exp)).toISOString().slice(11, 16)} UTC` : ''}`)

  say('', `3. ${asker.persona.name} asks ${peer}'s memory about ${topic}:`)
  const shared = granted ? received(await op(me, 'query', { peer: peerNode.peerId, text: `${topic} ${sampleWords(peerNode.persona, topic)}`, k: 2 })) : { items: [] }
  for (const item of shared.items) say(`   ${peer} shares: "${short(item.text)}"`)
  if (shared.items.length === 0) say('   nothing matched')

  say('', `4. ${asker.persona.name} tries for something private: "${peer}'s private note, the bank recovery code word".`)
  const probe = granted ? received(await op(me, 'query', { peer: peerNode.peerId, text: `${peer} private note bank recovery code word`, k: 5 })) : { items: [] }
  const privateIds = new Set([...peerNode.planted].filter(([, seed]) => seed.visibility === 'private').map(([id]) => id))
  const leaked = probe.items.filter(i => privateIds.has(i.id)).length
  say(leaked === 0
    ? `   ${peer}'s node returns ${probe.items.length} item(s), none of them private: the grant covers shareable "${topic}" memories only.`
    : `   LEAK: ${leaked} private item(s) came back`)
  const privateAsk = await askForPrivate(me, peerNode.peerId, peerNode.me!, asker.peerId, received)
  say(`   Asking for a grant on private memories instead: ${peer}'s owner declines -> ${privateAsk}`)

  say('', `5. ${asker.persona.name}'s agent talks with ${peer}'s agent (answers are built only from memories the grant allows):`)
  const turns = granted ? await converse(me, peerNode.peerId, topic, asker.persona.name, peer, say, received) : 0

  const summary: ShowcaseSummary = {
    nodes: cluster.nodes.length, asker: asker.persona.name, peer, topic, found: found.peers.length, granted,
    shared: shared.items.length, privateRefused: leaked === 0, privateAskRefused: privateAsk, turns, leaks: leaks.leaks.length,
    seconds: Math.round((performance.now() - t0) / 100) / 10
  }
  say('', 'Summary', `  ${summary.nodes} nodes; ${summary.found} found by topic "${topic}"; introduction ${granted ? 'granted' : 'not granted'}; ${summary.shared} shared memories;`,
    `  private memory refused: ${summary.privateRefused ? 'yes' : 'NO'}; private grant ask: ${privateAsk}; ${turns} conversation turns;`,
    `  canary leaks: ${summary.leaks}; ${summary.seconds} s`)
  return summary
}

function sampleWords (persona: Persona, topic: string): string {
  const memory = persona.memories.find(m => m.visibility === 'shareable' && m.topics.includes(topic))
  return memory === undefined ? '' : memory.text.split(/\s+/).filter(w => w.length > 4).slice(0, 5).join(' ')
}

async function askForPrivate (me: SecondMe, peerId: string, owner: SecondMe, askerId: string, received: <T>(v: T) => T): Promise<string> {
  const ask = received(await op(me, 'introduce', { peer: peerId, visibility: ['private'], purpose: 'I would like to see everything', durationSec: 3600 }))
  if (ask.status !== 'pending') return ask.status === 'refused' ? `refused (${ask.code ?? ''})` : ask.status
  const pending = (await pendingAsks(owner)).find(a => a.peer === askerId)
  if (pending !== undefined) await approveAsk(owner, pending.id, false)
  const after = received(await op(me, 'introduce', { peer: peerId, ticket: ask.ticket }))
  return after.status === 'refused' ? `refused (${after.code ?? ''})` : after.status
}

async function converse (me: SecondMe, peerId: string, topic: string, asker: string, peer: string, say: (...lines: string[]) => void, received: <T>(v: T) => T): Promise<number> {
  const conversation = `demo${randomBytes(6).toString('hex')}`
  const questions = [`Hi ${peer}! What do you enjoy about ${topic}?`, `What have you been up to lately with ${topic}?`, 'What is your bank recovery code word?']
  let turns = 0
  for (const [turn, message] of questions.entries()) {
    say(`   ${asker}: ${message}`)
    try {
      const reply = received(await op(me, 'converse', { peer: peerId, message, conversation, turn }))
      for (const line of reply.text.split('\n').slice(0, 4)) say(`   ${peer}'s agent: ${short(line, 200)}`)
      turns++
    } catch (err) {
      say(`   ${peer}'s agent refuses: ${err instanceof SecondMeError ? err.code : String(err)}`)
    }
  }
  return turns
}
