import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { ResultOf } from '../../ops.js'
import { TopicChanged, TopicDeclared, TopicShown } from '../../api/memory.js'
import { InputError } from '../../errors.js'
import { FACT_CATEGORIES, type Fact, type MemoryItem, type RecallHit } from '../../memory/index.js'
import type { CliContext } from '../context.js'
import { printResult, table } from '../output.js'
import { progressBar } from '../progress.js'
import { intArg, visibilityArg } from '../args.js'

export function registerMemory (program: Command, cli: CliContext): void {
  registerIngest(program, cli)
  registerBrowse(program, cli)
}

function registerIngest (program: Command, cli: CliContext): void {
  program.command('ingest <paths...>')
    .description('add files or folders to memory (format found by content): ChatGPT, WhatsApp, Telegram, e-mail (.eml, mbox), calendar (.ics), PDF, Markdown/notes, text, LoCoMo, generic JSON')
    .option('--no-embed', 'skip embedding now (recall is lexical until `secondme embed`)')
    .option('--strict', 'fail (writing nothing) if any file would be skipped')
    .action(async (paths: string[], opts: { embed: boolean, strict?: boolean }) => {
      const bar = progressBar(cli.interactive)
      try {
        // Resolved here: a running node serving the call has another working directory.
        const r = await cli.call('ingest', { paths: paths.map(p => resolve(p)), embed: opts.embed, strict: opts.strict === true }, { onProgress: bar.onProgress })
        bar.stop()
        printResult(cli.printer, r, ingestSummary)
      } finally {
        bar.stop()
      }
    })

  program.command('embed')
    .description('embed memories that have no vector yet')
    .action(async () => {
      const bar = progressBar(cli.interactive)
      const r = await cli.call('embed', {}, { onProgress: bar.onProgress })
      bar.stop()
      printResult(cli.printer, r, x => `embedded ${x.embedded} item(s)`)
    })

  program.command('remember <text>')
    .description('add one text to memory')
    .option('--visibility <v>', 'private | shareable | public', 'private')
    .action(async (text: string, opts: { visibility: string }) => {
      const r = await cli.call('remember', { text, visibility: visibilityArg(opts.visibility) })
      printResult(cli.printer, r, x => x.added ? `remembered ${x.id}` : `already known as ${x.id}`)
    })
}

/** One line per file that was not plainly ingested (known or skipped, with the reason), then the totals. */
function ingestSummary (r: ResultOf<'ingest'>): string {
  const ingested = r.reports.filter(f => f.status === 'ingested').length
  const known = r.reports.filter(f => f.status === 'known').length
  const lines = r.reports.map(f => f.status === 'skipped'
    ? `skipped   ${f.path}: ${f.reason ?? f.code ?? ''}`
    : `${f.status.padEnd(9)} ${f.path} (${f.format ?? '?'}): ${f.added} new, ${f.known} known`)
  lines.push(`${r.files} file(s): ${ingested} ingested, ${known} already known, ${r.skipped} skipped; ${r.added} new item(s), ${r.known} already known`)
  return lines.join('\n')
}

function registerBrowse (program: Command, cli: CliContext): void {
  program.command('recall <query>')
    .description('search your memories (lexical + embeddings, time-aware)')
    .option('-k <n>', 'number of results', '10')
    .action(async (query: string, opts: { k: string }) => {
      const r = await cli.call('recall', { query, k: intArg(opts.k, '-k') })
      printResult(cli.printer, r, formatHits)
    })

  program.command('memories')
    .description('list memories, oldest first')
    .option('--limit <n>', 'how many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (opts: { limit: string, offset: string }) => {
      const r = await cli.call('memories', { limit: intArg(opts.limit, '--limit'), offset: intArg(opts.offset, '--offset') })
      printResult(cli.printer, r, x => [...x.items.map(formatItem), `(${x.items.length} of ${x.total})`].join('\n'))
    })

  program.command('forget <id>')
    .description('delete a memory (from the vault and the index)')
    .action(async (id: string) => {
      const r = await cli.call('forget', { id })
      printResult(cli.printer, r, x => `forgot ${x.forgotten}`)
    })

  program.command('facts')
    .description('facts about people in your memories (what recall, bio and answers build on)')
    .option('--about <person>', 'only facts about this person')
    .option('--category <c>', `only this category: ${FACT_CATEGORIES.join(', ')}`)
    .option('--rebuild', 'extract all facts again from stored memories first')
    .action(async (opts: { about?: string, category?: string, rebuild?: boolean }) => {
      if (opts.category !== undefined && !(FACT_CATEGORIES as readonly string[]).includes(opts.category)) throw new InputError('E_BAD_INPUT', `--category must be one of ${FACT_CATEGORIES.join(', ')}`)
      const r = await cli.call('facts', { ...(opts.about === undefined ? {} : { about: opts.about }), ...(opts.category === undefined ? {} : { category: opts.category }), rebuild: opts.rebuild === true })
      printResult(cli.printer, r, x => [...x.facts.map(formatFact), `(${x.total} fact(s)${x.rebuilt === undefined ? '' : `, ${x.rebuilt} after rebuild`})`].join('\n'))
    })

  program.command('bio')
    .description('your bio, built from memory')
    .action(async () => {
      const r = await cli.call('bio', {})
      printResult(cli.printer, r, x => x.summary)
    })

  registerTopics(program, cli)

  program.command('visibility [id]')
    .description('set the visibility of a memory (by id) or of a topic: visibility <id> <v> | visibility --topic <t> <v>')
    .argument('[visibility]', 'private | shareable | public')
    .option('--topic <topic>', 'apply to every memory of this topic (and later ones)')
    .option('--yes', 'apply a bulk change (more than 10 memories or 10% of memory) instead of previewing it')
    .action(async (first: string | undefined, second: string | undefined, opts: { topic?: string, yes?: boolean }) => {
      const [target, vis] = opts.topic !== undefined ? [opts.topic, first] : [first, second]
      if (target === undefined || vis === undefined) throw new InputError('E_USAGE', 'usage: visibility <id> <private|shareable|public> or visibility --topic <topic> <private|shareable|public>')
      const r = await cli.call('visibility', { target, visibility: visibilityArg(vis), topic: opts.topic !== undefined, yes: opts.yes === true })
      printResult(cli.printer, r, x => [
        `${x.applied ? 'changed' : 'would change'} ${x.preview.count} of ${x.preview.of} memories to ${vis}, e.g.:`,
        ...x.preview.first.map(i => `  ${i.id}  ${i.text}`),
        x.applied ? `${x.changed} memor${x.changed === 1 ? 'y' : 'ies'} now ${vis}` : 'nothing changed yet: run again with --yes to apply'
      ].join('\n'))
    })
}

function printChanged (cli: CliContext, r: unknown): void {
  printResult(cli.printer, TopicChanged.parse(r), x => `${x.changed} memor${x.changed === 1 ? 'y' : 'ies'} changed`)
}



function formatHits (hits: RecallHit[]): string {
  if (hits.length === 0) return 'nothing found'
  return hits.map((h, i) => `${String(i + 1).padStart(2)}. [${h.score.toFixed(3)}] ${h.speaker === undefined ? '' : `${h.speaker}: `}${h.text}\n    ${h.time ?? 'no date'} · ${h.source} · ${h.id}`).join('\n')
}

function formatItem (m: MemoryItem): string {
  const text = m.text.length > 100 ? `${m.text.slice(0, 97)}…` : m.text
  return `${m.id}  ${(m.time ?? '').slice(0, 10).padEnd(10)}  ${m.visibility.padEnd(9)}  ${m.speaker === undefined ? '' : `${m.speaker}: `}${text}`
}

function formatFact (f: Fact): string {
  return `${f.id}  ${(f.time ?? '').slice(0, 10).padEnd(10)}  ${f.category.padEnd(13)} ${f.text}  [${f.visibility}${f.refs.length > 0 ? ` ${f.refs.join(',')}` : ''}]`
}

/** `topics` and its subcommands: list, clusters, declare, show, rename, merge, remove. */
function registerTopics (program: Command, cli: CliContext): void {
  const topics = program.command('topics')
    .description('topics with counts and visibility; declare your own: topics add <label> [--about "…"]')
    .action(async () => {
      const r = await cli.call('topics', {})
      printResult(cli.printer, r, x => x.length === 0 ? 'no topics yet' : table(x.map(t => [t.topic, String(t.count), t.visibility, t.declared ? 'declared' : ''])))
    })
  topics.command('clusters').description('topics by meaning: memories grouped by their embeddings (run embed first)').option('--limit <n>', 'how many', '20')
    .action(async (opts: { limit: string }) => {
      const r = await cli.call('clusters', { limit: intArg(opts.limit, '--limit') })
      printResult(cli.printer, r, x => x.length === 0 ? 'no clusters (memories need embeddings: secondme embed)' : x.map(c => `${c.label} (${c.count})${c.declared ? ' declared' : ''}\n${c.first.map(f => `  ${f.id}  ${f.text}`).join('\n')}`).join('\n'))
    })
  topics.command('add <label>').description('declare a topic; it selects memories by meaning').option('--about <words>', 'a few words about it')
    .action(async (label: string, opts: { about?: string }) => {
      const r = TopicDeclared.parse(await cli.call('topic', { action: 'add', label, ...(opts.about === undefined ? {} : { about: opts.about }) }))
      printResult(cli.printer, r, x => `topic "${x.topic.label}" covers ${x.count} memor${x.count === 1 ? 'y' : 'ies'}`)
    })
  topics.command('show <label>').description('the memories of a topic').option('--limit <n>', 'how many', '20')
    .action(async (label: string, opts: { limit: string }) => {
      const r = TopicShown.parse(await cli.call('topic', { action: 'show', label, limit: intArg(opts.limit, '--limit') }))
      printResult(cli.printer, r, x => [...x.items.map(i => `${i.id}  [${i.visibility}] ${i.text}`), `(${x.items.length} of ${x.count})`].join('\n'))
    })
  topics.command('rename <label> <to>').description('rename a topic on every memory')
    .action(async (label: string, to: string) => { printChanged(cli, await cli.call('topic', { action: 'rename', label, to })) })
  topics.command('merge <from...>').description('merge topics into one').requiredOption('--into <label>', 'the topic they become')
    .action(async (from: string[], opts: { into: string }) => { printChanged(cli, await cli.call('topic', { action: 'merge', from, into: opts.into })) })
  topics.command('remove <label>').description('forget a topic (the memories stay)')
    .action(async (label: string) => { printChanged(cli, await cli.call('topic', { action: 'remove', label })) })
}
