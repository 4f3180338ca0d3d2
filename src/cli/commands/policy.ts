import type { Command } from 'commander'
import { InputError, PolicyError } from '../../errors.js'
import type { AuditEntry, GrantSummary } from '../../policy/index.js'
import type { CliContext } from '../context.js'
import { printResult, table } from '../output.js'
import { listArg } from '../args.js'

// Grants, revocation, consent queue, standing rules and the audit log. Each command is one op call.

export function registerPolicy (program: Command, cli: CliContext): void {
  registerGrant(program, cli)
  registerConsent(program, cli)
  registerRules(program, cli)
  registerAudit(program, cli)
}

async function bearerGrant (cli: CliContext, o: { topics?: string, visibility: string, expires: string, purpose?: string }): Promise<void> {
  const r = await cli.call('grant.bearer', {
    visibility: listArg(o.visibility),
    ...(o.topics === undefined ? {} : { topics: listArg(o.topics) }),
    durationSec: parseDuration(o.expires),
    ...(o.purpose === undefined ? {} : { purpose: o.purpose })
  })
  if (!cli.printer.json) cli.printer.err(`bearer grant ${r.id} (converse), expires ${r.expires}: whoever holds it can use it`)
  printResult(cli.printer, r, x => x.token)
}

function registerGrant (program: Command, cli: CliContext): void {
  program.command('grant [peer]')
    .description('issue a signed grant to a peer (or --bearer: to whoever holds it, for A2A callers) and print the token to hand over')
    .option('--bearer', 'a short-lived bearer grant (converse only, never private memories, at most 24h) for A2A callers')
    .option('--actions <list>', 'comma-separated: memory:read,converse,introduce', 'memory:read')
    .option('--topics <list>', 'comma-separated topics the grant is limited to')
    .option('--visibility <list>', 'comma-separated: private,shareable,public', 'shareable')
    .option('--expires <duration>', 'lifetime: 90s, 30m, 1h, 7d', '1h')
    .option('--purpose <text>', 'why the grant is given')
    .option('--parent <token>', 'derive (narrow) a grant given to this node')
    .action(async (peer: string | undefined, o: { actions: string, topics?: string, visibility: string, expires: string, purpose?: string, parent?: string, bearer?: boolean }) => {
      if (o.bearer === true) {
        await bearerGrant(cli, o)
        return
      }
      if (peer === undefined) throw new InputError('E_USAGE', 'grant needs a peer id (or --bearer)')
      const r = await cli.call('grant', {
        peer,
        actions: listArg(o.actions),
        visibility: listArg(o.visibility),
        ...(o.topics === undefined ? {} : { topics: listArg(o.topics) }),
        durationSec: parseDuration(o.expires),
        ...(o.purpose === undefined ? {} : { purpose: o.purpose }),
        ...(o.parent === undefined ? {} : { parent: o.parent })
      })
      if (!cli.printer.json) cli.printer.err(`grant ${r.id} for ${peer}, expires ${r.expires}`)
      printResult(cli.printer, r, x => x.token)
    })

  const grants = program.command('grants')
    .description('grants this node issued and received, with their status')
    .action(async () => {
      const r = await cli.call('grants', {})
      printResult(cli.printer, r, x => [section('issued', x.issued), section('received', x.received)].join('\n'))
    })
  grants.command('import <token>')
    .description('store a grant another node gave you (so query/converse present it)')
    .action(async (token: string) => {
      const r = await cli.call('grants.import', { token })
      printResult(cli.printer, r, x => `imported grant ${x.id} from ${x.issuer} (${x.actions.join(',')}, expires ${x.expires})`)
    })

  program.command('revoke <grant-id>')
    .description('revoke a grant this node issued (id or unique prefix)')
    .option('--reason <text>', 'kept with the revocation')
    .action(async (id: string, o: { reason?: string }) => {
      const r = await cli.call('revoke', { id, ...(o.reason === undefined ? {} : { reason: o.reason }) })
      printResult(cli.printer, r, x => `${x.already ? 'already revoked' : 'revoked'} ${x.id} at ${x.revokedAt}`)
    })
}

function section (title: string, rows: GrantSummary[]): string {
  if (rows.length === 0) return `${title}: none`
  return `${title}:\n` + table(rows.map(g => [g.id, g.status, g.peer, g.actions.join(','), scopeText(g.visibility, g.topics), g.expires]))
}

function scopeText (visibility: readonly string[], topics: readonly string[] | undefined): string {
  return visibility.join(',') + (topics === undefined ? '' : ` on ${topics.join(',')}`)
}

function registerConsent (program: Command, cli: CliContext): void {
  const consent = program.command('consent')
    .description('requests waiting for your consent (approve/deny them)')
    .option('--state <state>', 'pending, approved, countered or denied (default: all)')
    .action(async (o: { state?: string }) => {
      const r = await cli.call('consent', o.state === undefined ? {} : { state: o.state })
      printResult(cli.printer, r, x => x.requests.length === 0
        ? 'no requests'
        : table(x.requests.map(q => [q.id, q.state, q.displayName ?? q.peer, q.actions.join(','), scopeText(q.scope.visibility, q.scope.topics), `covers ${q.covers} memor${q.covers === 1 ? 'y' : 'ies'}`, q.purpose])))
    })
  consent.command('approve <id>')
    .description('approve a request, optionally narrowed; --counter offers the narrowed terms instead')
    .option('--actions <list>', 'narrow the actions')
    .option('--topics <list>', 'narrow to these topics')
    .option('--visibility <list>', 'narrow the visibility labels')
    .option('--expires <duration>', 'grant lifetime: 30m, 1h, 7d')
    .option('--counter', 'send the terms as a counter-offer the asker may accept')
    .option('--yes', 'approve a grant that covers more than 10 memories or 10% of memory (otherwise previewed)')
    .action(async (id: string, o: { actions?: string, topics?: string, visibility?: string, expires?: string, counter?: boolean, yes?: boolean }) => {
      const r = await cli.call('consent.approve', {
        id,
        ...(o.actions === undefined ? {} : { actions: listArg(o.actions) }),
        ...(o.topics === undefined ? {} : { topics: listArg(o.topics) }),
        ...(o.visibility === undefined ? {} : { visibility: listArg(o.visibility) }),
        ...(o.expires === undefined ? {} : { durationSec: parseDuration(o.expires) }),
        ...(o.counter === true ? { counter: true } : {}),
        yes: o.yes === true
      })
      printResult(cli.printer, r, x => !x.applied
        ? [`the grant would cover ${x.preview.count} of ${x.preview.of} memories, e.g.:`, ...x.preview.first.map(i => `  ${i.id}  ${i.text}`), 'not approved yet: run again with --yes'].join('\n')
        : x.state === 'countered' ? `counter-offer sent for ${x.id}` : `approved ${x.id}: grant ${x.grantId ?? '?'} for ${x.peer} (covers ${x.preview.count} memor${x.preview.count === 1 ? 'y' : 'ies'})`)
    })
  consent.command('deny <id>')
    .description('deny a request')
    .option('--reason <text>', 'told to the asker')
    .action(async (id: string, o: { reason?: string }) => {
      const r = await cli.call('consent.deny', { id, ...(o.reason === undefined ? {} : { reason: o.reason }) })
      printResult(cli.printer, r, x => `denied ${x.id}`)
    })
}

function registerRules (program: Command, cli: CliContext): void {
  const rules = program.command('rules')
    .description('standing rules that answer requests without asking you')
    .action(async () => {
      const r = await cli.call('rules', {})
      printResult(cli.printer, r, x => x.rules.length === 0
        ? 'no rules: every request waits for your consent'
        : table(x.rules.map(u => [u.id, u.effect, u.actions.join(','), scopeText(u.scope.visibility, u.scope.topics), u.peers === undefined ? 'anyone' : u.peers.join(','), `max ${u.maxDurationSec}s`, u.note ?? ''])))
    })
  rules.command('add <effect>')
    .description('add a rule: allow or deny')
    .requiredOption('--actions <list>', 'comma-separated: memory:read,converse,introduce')
    .option('--visibility <list>', 'largest visibility an allow rule grants', 'public')
    .option('--topics <list>', 'limit the rule to these topics')
    .option('--peers <list>', 'only these peer ids (default: anyone)')
    .option('--max <duration>', 'longest grant an allow rule issues', '7d')
    .option('--note <text>', 'why the rule exists')
    .action(async (effect: string, o: { actions: string, visibility: string, topics?: string, peers?: string, max: string, note?: string }) => {
      const r = await cli.call('rules.add', {
        effect,
        actions: listArg(o.actions),
        scope: { visibility: listArg(o.visibility), ...(o.topics === undefined ? {} : { topics: listArg(o.topics) }) },
        ...(o.peers === undefined ? {} : { peers: listArg(o.peers) }),
        maxDurationSec: parseDuration(o.max),
        ...(o.note === undefined ? {} : { note: o.note })
      })
      printResult(cli.printer, r, x => `added rule ${x.id}`)
    })
  rules.command('remove <id>')
    .description('remove a rule')
    .action(async (id: string) => {
      const r = await cli.call('rules.remove', { id })
      printResult(cli.printer, r, x => `removed rule ${x.removed}`)
    })
}

function registerAudit (program: Command, cli: CliContext): void {
  const audit = program.command('audit')
    .description('the audit log: every decision and every disclosed item id')
    .option('--limit <n>', 'newest entries to show', '50')
    .action(async (o: { limit: string }) => {
      const limit = Number(o.limit)
      if (!Number.isInteger(limit) || limit < 1) throw new InputError('E_USAGE', '--limit is a positive integer')
      const r = await cli.call('audit', { limit })
      printResult(cli.printer, r, x => x.entries.length === 0 ? 'audit log is empty' : table(x.entries.map(auditRow)))
    })
  audit.command('verify')
    .description('check the hash chain; exits non-zero if the log was tampered with')
    .action(async () => {
      const r = await cli.call('audit.verify', {})
      if (r.ok) printResult(cli.printer, r, x => `audit log intact: ${x.entries} entries`)
      else throw new PolicyError('E_AUDIT_TAMPERED', `audit log broken at entry ${r.brokenAt ?? '?'}: ${r.reason ?? ''}`, { data: { ...r } })
    })
}

function auditRow (e: AuditEntry): string[] {
  const what = [e.action, e.grantId === undefined ? undefined : `grant ${e.grantId}`, e.items === undefined ? undefined : `items ${e.items.join(',')}`, e.detail]
  return [String(e.seq), new Date(e.time).toISOString(), e.kind, e.decision, e.code ?? '', e.peer ?? '', what.filter(w => w !== undefined).join(' ')]
}


/** "90s", "30m", "1h", "7d", "2w" or a number of seconds. */
export function parseDuration (text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw]?)$/.exec(text.trim())
  if (m === null) throw new InputError('E_USAGE', `"${text}" is not a duration (e.g. 30m, 1h, 7d)`)
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[m[2] as '' | 's' | 'm' | 'h' | 'd' | 'w']
  return Math.round(Number(m[1]) * unit)
}
