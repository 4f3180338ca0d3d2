import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import type { ActiveModels, ModelRecord } from '../../model/registry.js'
import type { CliContext } from '../context.js'
import { forTerminal } from '../../util/terminal.js'
import { formatBytes, printResult, table } from '../output.js'
import { registerTrain } from './train.js'
import { visibilitiesArg } from '../args.js'

export function registerModel (program: Command, cli: CliContext): void {
  registerModelCommands(program.command('model').description('local GGUF models and LoRA adapters (never downloaded)'), cli)
  registerAsk(program, cli)
  registerAutofill(program, cli)
  registerTrain(program, cli)
}

function registerModelCommands (model: Command, cli: CliContext): void {
  model.command('add <file>')
    .description('register a GGUF model: checks the file, records metadata and sha256; the file is referenced where it is')
    .option('--copy', 'copy the file into the home instead of referencing it')
    .action(async (file: string, opts: { copy?: boolean }) => {
      const r = await cli.call('model.add', { file: resolve(file), copy: opts.copy === true })
      printResult(cli.printer, r, x => `added ${x.kind} ${x.id}  ${x.name} (${x.architecture}, ${formatBytes(x.size)})\nuse it with: secondme model use ${x.id}`)
    })
  model.command('list')
    .description('registered models and adapters')
    .action(async () => {
      const r = await cli.call('model.list', {})
      printResult(cli.printer, r, formatList)
    })
  model.command('use <id>')
    .description('answer with this model (an adapter id enables the adapter on the active model)')
    .action(async (id: string) => {
      const r = await cli.call('model.use', { id })
      printResult(cli.printer, r, x => `model ${x.modelId ?? '(none)'}${x.adapterIds.length === 0 ? '' : ` + adapters ${x.adapterIds.join(', ')}`}`)
    })
  model.command('unuse [id]')
    .description('stop using the active model (or one adapter)')
    .action(async (id: string | undefined) => {
      const r = await cli.call('model.unuse', id === undefined ? {} : { id })
      printResult(cli.printer, r, x => `model ${x.modelId ?? '(none: answers are extractive)'}`)
    })
  model.command('remove <id>')
    .description('forget a model or adapter (deletes only a copy inside the home)')
    .action(async (id: string) => {
      const r = await cli.call('model.remove', { id })
      printResult(cli.printer, r, x => `removed ${x.kind} ${x.id} (${x.name})`)
    })
  model.command('adapter').description('LoRA adapters').command('add <file>')
    .description('register a LoRA adapter (GGUF) and enable it on the active model')
    .option('--scale <n>', 'adapter strength', '1')
    .option('--copy', 'copy the file into the home')
    .option('--private', 'it was trained on private data: use it for your own answers only, never for peers')
    .action(async (file: string, opts: { scale: string, copy?: boolean, private?: boolean }) => {
      const scale = Number(opts.scale)
      if (!Number.isFinite(scale)) throw new InputError('E_USAGE', '--scale must be a number')
      const r = await cli.call('model.adapter.add', { file: resolve(file), scale, copy: opts.copy === true, private: opts.private === true })
      printResult(cli.printer, r, x => `added adapter ${x.adapter.id} (${x.adapter.name}), enabled`)
    })
}

function formatList (r: { active: ActiveModels, models: ModelRecord[] }): string {
  if (r.models.length === 0) return 'no models: add one with `secondme model add <file.gguf>` (answers are extractive until then)'
  const rows = r.models.map(m => [
    r.active.modelId === m.id || r.active.adapterIds.includes(m.id) ? '*' : ' ',
    m.id, m.kind, m.name, m.architecture, formatBytes(m.size),
    m.trainedOn.includes('private') ? 'private-trained (owner only)' : m.trainedOn.length > 0 ? `trained on ${m.trainedOn.join('+')}` : '',
    m.copied ? 'copied' : m.path
  ])
  return table(rows)
}

function registerAsk (program: Command, cli: CliContext): void {
  program.command('ask <question...>')
    .description('answer a question about yourself from memory, in your voice (extractive without a model)')
    .option('-k <n>', 'memories to recall')
    .option('--explain', 'also show the memory sentences the answer rests on')
    .action(async (words: string[], opts: { k?: string, explain?: boolean }) => {
      const k = opts.k === undefined ? undefined : Number.parseInt(opts.k, 10)
      if (k !== undefined && !(k >= 1 && k <= 50)) throw new InputError('E_USAGE', '-k must be 1..50')
      const stream = !cli.printer.json
      let streamed = false
      const r = await cli.call('ask', { question: words.join(' '), ...(k === undefined ? {} : { k }) }, stream
        ? { onText: (chunk) => { streamed = true; cli.io.stdout.write(forTerminal(chunk)) } }
        : {})
      printResult(cli.printer, r, x => {
        const sources = x.cited.length === 0 ? 'no memories used' : `memories: ${x.cited.join(', ')}`
        const why = opts.explain === true ? (x.evidence ?? []).map(e => `\n  [${e.id}]${e.time === undefined ? '' : ` (${e.time.slice(0, 10)})`} ${e.sentence}`).join('') : ''
        return `${streamed ? '' : x.text}\n\n— ${x.mode === 'model' ? `model ${x.model}` : 'extractive (no model)'}; ${sources}${why}`
      })
    })
}

function registerAutofill (program: Command, cli: CliContext): void {
  program.command('autofill <schema>')
    .description('fill a JSON Schema form from memory; fields memory cannot support stay empty and are listed')
    .option('--context <text>', 'what the form is for', '')
    .option('--visibility <list>', 'memories the form may use, e.g. shareable,public (default: all)')
    .option('--extractive', 'do not use a model')
    .action(async (file: string, opts: { context: string, visibility?: string, extractive?: boolean }) => {
      const schema = await readSchemaFile(file)
      const visibility = opts.visibility === undefined ? undefined : visibilitiesArg(opts.visibility)
      const r = await cli.call('autofill', { schema, context: opts.context, extractive: opts.extractive === true, ...(visibility === undefined ? {} : { visibility }) })
      printResult(cli.printer, r, x => [
        JSON.stringify(x.value, null, 2),
        `— ${x.mode}; filled ${x.filled.length}${x.empty.length === 0 ? '' : `; empty (no support in memory): ${x.empty.join(', ')}`}`,
        ...x.filled.map(f => `  ${f.field} ← ${f.source}`),
        x.complete ? '' : `  incomplete: ${x.errors.join('; ')}`
      ].filter(s => s !== '').join('\n'))
    })
}


async function readSchemaFile (file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(resolve(file), 'utf8')
  } catch (err) {
    throw new InputError('E_FILE_NOT_FOUND', `cannot read ${file}`, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InputError('E_MALFORMED_FILE', `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
}
