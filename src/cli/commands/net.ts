import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import { startControlServer } from '../../control/index.js'
import { SecondMe } from '../../node.js'
import type { RelayLimits } from '../../net/libp2p.js'
import type { SignedProfile } from '../../net/profile.js'
import type { Conversation } from '../../agent/conversations.js'
import type { ReachMode } from '../../net/reach.js'
import type { CliContext } from '../context.js'
import { printResult, table } from '../output.js'
import { serveHttp } from './http.js'
import { intArg, listArg } from '../args.js'

interface StartFlags {
  listen?: string[]
  bootstrap?: string[]
  transport?: string
  http?: string
  relay?: boolean
  announce?: string[]
  upnp?: boolean
  reachability?: string
  relayReservations?: string
  relayDuration?: string
  relayData?: string
}

export function registerNet (program: Command, cli: CliContext): void {
  registerStart(program, cli)

  program.command('peers')
    .description('connected peers and the profiles seen')
    .action(async () => {
      const r = await cli.call('peers', {})
      printResult(cli.printer, r, x => x.peers.length === 0
        ? 'no peers yet'
        : table(x.peers.map(p => [p.peerId, p.displayName ?? '-', p.link ?? 'seen', p.topics.join(', ')])))
    })

  program.command('profile [peer]')
    .description('this node\'s signed profile (agent card), or a peer\'s from the DHT')
    .action(async (peer: string | undefined) => {
      const r = await cli.call('profile', peer === undefined ? {} : { peer })
      printResult(cli.printer, r, formatProfile)
    })

  program.command('find')
    .description('peers that announced a topic')
    .requiredOption('--topic <topic>', 'topic to look for')
    .option('--limit <n>', 'most peers to list', '20')
    .action(async (opts: { topic: string, limit: string }) => {
      const r = await cli.call('find', { topic: opts.topic, limit: intArg(opts.limit, '--limit', 1) })
      printResult(cli.printer, r, x => x.peers.length === 0 ? `nobody announced "${opts.topic}" yet` : table(x.peers.map(p => [p.peerId, p.displayName ?? '-', p.topics.join(', ')])))
    })

  registerIntroduce(program, cli)

  program.command('query <peer> <text>')
    .description('query a peer\'s memories under the grant it gave you')
    .option('-k <n>', 'most items', '5')
    .action(async (peer: string, text: string, opts: { k: string }) => {
      const r = await cli.call('query', { peer, text, k: intArg(opts.k, '-k', 1) })
      printResult(cli.printer, r, x => x.items.length === 0 ? 'no shared memories match' : x.items.map(i => `- ${i.text}  [${i.id}]`).join('\n'))
    })

  program.command('converse <peer> <message>')
    .description('say something to a peer\'s agent (one turn)')
    .option('--conversation <id>', 'continue a conversation')
    .option('--turn <n>', 'turn number in the conversation')
    .action(async (peer: string, message: string, opts: { conversation?: string, turn?: string }) => {
      const params = { peer, message, ...(opts.conversation === undefined ? {} : { conversation: opts.conversation }), ...(opts.turn === undefined ? {} : { turn: intArg(opts.turn, '--turn', 1) }) }
      const r = await cli.call('converse', params)
      printResult(cli.printer, r, x => `${x.text}\n(conversation ${x.conversation}${x.cited.length > 0 ? `, cites ${x.cited.join(', ')}` : ''})`)
    })

  program.command('conversations')
    .description('transcripts of agent-to-agent conversations, both ways, newest first, with what each answer disclosed')
    .option('--peer <id>', 'only this peer\'s')
    .option('--limit <n>', 'most conversations', '20')
    .action(async (opts: { peer?: string, limit: string }) => {
      const r = await cli.call('conversations', { ...(opts.peer === undefined ? {} : { peer: opts.peer }), limit: intArg(opts.limit, '--limit', 1) })
      printResult(cli.printer, r, x => x.conversations.length === 0 ? 'no conversations yet' : x.conversations.map(transcriptText).join('\n\n'))
    })
}

function transcriptText (c: Conversation): string {
  const head = `${c.direction === 'in' ? 'their agent asked yours' : 'you asked their agent'} — peer ${c.peer}, conversation ${c.id}, ${new Date(c.updatedAt).toISOString()}`
  const lines = c.turns.map(t => `  ${t.from === 'self' ? 'self' : 'peer'}: ${t.text}${(t.memories ?? []).length > 0 ? `  [${(t.memories ?? []).join(', ')}]` : ''}`)
  return [head, ...lines].join('\n')
}

function registerIntroduce (program: Command, cli: CliContext): void {
  program.command('introduce <peer>')
    .description('ask a peer for an introduction and a grant; --ticket polls, --accept takes a counter-offer')
    .option('--actions <list>', 'comma-separated: memory:read,converse,introduce', 'memory:read,converse')
    .option('--topics <list>', 'comma-separated topics to ask access to')
    .option('--visibility <list>', 'comma-separated: shareable,public', 'shareable')
    .option('--purpose <text>', 'why you ask', 'to get to know each other')
    .option('--days <n>', 'how long the grant should last', '7')
    .option('--ticket <id>', 'poll a pending request')
    .option('--accept <offerId>', 'accept a counter-offer')
    .action(async (peer: string, opts: { actions: string, topics?: string, visibility: string, purpose: string, days: string, ticket?: string, accept?: string }) => {
      const params = {
        peer,
        actions: listArg(opts.actions),
        visibility: listArg(opts.visibility),
        ...(opts.topics === undefined ? {} : { topics: listArg(opts.topics) }),
        purpose: opts.purpose,
        durationSec: Math.round(Number(opts.days) * 86_400),
        ...(opts.ticket === undefined ? {} : { ticket: opts.ticket }),
        ...(opts.accept === undefined ? {} : { accept: opts.accept })
      }
      const r = await cli.call('introduce', params)
      printResult(cli.printer, r, formatDecision)
    })
}

function registerStart (program: Command, cli: CliContext): void {
  program.command('start')
    .description('run the node: join the network, serve peers and the other commands until stopped (Ctrl-C)')
    .option('--listen <addr...>', 'listen multiaddrs (default /ip4/127.0.0.1/tcp/0, or config.net.listen)')
    .option('--bootstrap <addr...>', 'bootstrap multiaddrs with /p2p/<peer id>')
    .option('--transport <kind>', 'tcp or memory')
    .option('--http <host:port>', 'serve the HTTP doors here, or "off" (default 127.0.0.1:7777, or config.http.listen)')
    .option('--relay', 'run as a relay: circuit relay server, DHT server and bootstrap for others (needs a public address)')
    .option('--announce <addr...>', 'public multiaddrs to announce instead of the listen addresses')
    .option('--upnp', 'ask the home router for a port mapping (UPnP / NAT-PMP)')
    .option('--reachability <mode>', 'probe (peers dial back), private (reserve relays at once) or public')
    .option('--relay-reservations <n>', 'relay: reservations held at once (default 128)')
    .option('--relay-duration <seconds>', 'relay: longest a relayed connection stays open (default 300)')
    .option('--relay-data <bytes>', 'relay: most bytes per relayed connection (default 4194304)')
    .action(async (flags: StartFlags) => {
      if (flags.transport !== undefined && flags.transport !== 'tcp' && flags.transport !== 'memory') throw new InputError('E_USAGE', '--transport is tcp or memory')
      const relayLimits = relayLimitsOf(flags)
      if (flags.reachability !== undefined && !['probe', 'public', 'private'].includes(flags.reachability)) throw new InputError('E_USAGE', '--reachability is probe, public or private')
      const me = await SecondMe.open({ home: cli.home, passphrase: await cli.passphrase() })
      try {
        const net = await me.start({
          ...(flags.listen === undefined ? {} : { listen: flags.listen }),
          ...(flags.bootstrap === undefined ? {} : { bootstrap: flags.bootstrap }),
          ...(flags.transport === undefined ? {} : { transport: flags.transport as 'tcp' | 'memory' }),
          ...(flags.relay === true ? { role: 'relay' as const } : {}),
          ...(flags.announce === undefined ? {} : { announceAddresses: flags.announce }),
          ...(flags.upnp === true ? { upnp: true } : {}),
          ...(flags.reachability === undefined ? {} : { reachability: flags.reachability as ReachMode }),
          relayLimits
        })
        // Other CLI commands reach this node (and its locked vault) through the control socket.
        const control = await startControlServer(me)
        const http = await serveHttp(me, flags.http, cli.printer).catch(async (err: unknown) => { await control.close(); throw err })
        try {
          const started = { peerId: net.peerId, role: net.network().role, addresses: net.multiaddrs(), http: http?.url ?? null }
          printResult(cli.printer, started, r => [`peer id ${r.peerId} (${r.role})`, ...r.addresses.map(a => `listening on ${a}`), ...(r.http === null ? [] : [`http on ${r.http}`])].join('\n'))
          await untilSignal()
        } finally {
          await http?.close()
          await control.close()
        }
      } finally {
        await me.close()
      }
    })
}

function relayLimitsOf (flags: StartFlags): RelayLimits {
  return {
    ...(flags.relayReservations === undefined ? {} : { maxReservations: intArg(flags.relayReservations, '--relay-reservations', 1) }),
    ...(flags.relayDuration === undefined ? {} : { durationLimitMs: intArg(flags.relayDuration, '--relay-duration', 1) * 1000 }),
    ...(flags.relayData === undefined ? {} : { dataLimitBytes: intArg(flags.relayData, '--relay-data', 1) })
  }
}

async function untilSignal (): Promise<void> {
  await new Promise<void>(resolve => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

function formatProfile (s: SignedProfile): string {
  const p = s.profile
  return [
    `peer id   ${p.peerId}`,
    ...(p.displayName === undefined ? [] : [`name      ${p.displayName}`]),
    ...(p.bio === undefined ? [] : [`bio       ${p.bio}`]),
    `topics    ${p.topics.join(', ') || '-'}`,
    `protocols ${p.protocols.join(' ')}`,
    ...p.addresses.map(a => `address   ${a}`),
    `expires   ${new Date(p.expiresAt).toISOString()}`
  ].join('\n')
}

function formatDecision (r: { status: string, ticket?: string, offerId?: string, code?: string, reason?: string }): string {
  switch (r.status) {
    case 'granted': return 'granted: the grant is stored; use `query` or `converse` now'
    case 'pending': return `pending the owner's consent: poll with --ticket ${r.ticket ?? ''}`
    case 'counter': return `counter-offer ${r.offerId ?? ''}: accept with --accept ${r.offerId ?? ''}`
    default: return `refused: ${r.code ?? ''} ${r.reason ?? ''}`
  }
}


