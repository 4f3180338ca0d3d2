import { resolve } from 'node:path'
import type { Command } from 'commander'
import { InputError } from '../../errors.js'
import type { CliContext } from '../context.js'
import { printResult } from '../output.js'
import { progressBar } from '../progress.js'
import { visibilitiesArg } from '../args.js'

function intOption (value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError('E_USAGE', `${name} must be an integer ${min}..${max}`)
  return n
}

/** `secondme train` (fine-tune) and `secondme train data` (L2 training data). */
export function registerTrain (program: Command, cli: CliContext): void {
  const trainCmd = program.command('train')
    .description('fine-tune the active (F32) model on data synthesised from memory with llama.cpp\'s finetune (needs `npm run build:finetune` once)')
    .option('--base <id>', 'base model (default: the active model)')
    .option('--visibility <list>', 'memories to train on (default: all; a model trained on private memory never answers peers)')
    .option('--epochs <n>', 'passes over the data', '3')
    .option('--ctx <n>', 'training window in tokens', '256')
    .action(async (opts: { base?: string, visibility?: string, epochs: string, ctx: string }) => {
      const progress = progressBar(cli.interactive)
      try {
        const r = await cli.call('train', {
          epochs: intOption(opts.epochs, '--epochs', 1, 100),
          contextSize: intOption(opts.ctx, '--ctx', 32, 8192),
          ...(opts.base === undefined ? {} : { base: opts.base }),
          ...(opts.visibility === undefined ? {} : { visibility: visibilitiesArg(opts.visibility) })
        }, { onProgress: progress.onProgress })
        progress.stop()
        printResult(cli.printer, r, x => [
          `trained ${x.model.id} from ${x.base} on ${x.examples} examples`,
          `loss: base ${x.initialLoss.toFixed(4)}; per epoch ${x.losses.map(l => l.toFixed(4)).join(' → ')}`,
          x.containsPrivate ? 'trained on private memory: answers you only, never peers' : 'trained on non-private memory only',
          `use it with: secondme model use ${x.model.id}`
        ].join('\n'))
      } finally {
        progress.stop()
      }
    })
  trainCmd.command('data')
    .description('write SFT (messages[]) and DPO (prompt/chosen/rejected) JSONL synthesised from memory')
    .option('--out <dir>', 'output folder (default: <home>/training)')
    .option('--visibility <list>', 'memories the data may contain, e.g. shareable,public (default: all)')
    .action(async (_opts: unknown, cmd: Command) => {
      // `train` has a --visibility option too; commander hands it to whichever command declares it.
      const opts = cmd.optsWithGlobals<{ out?: string, visibility?: string }>()
      const r = await cli.call('train.data', {
        ...(opts.out === undefined ? {} : { out: resolve(opts.out) }),
        ...(opts.visibility === undefined ? {} : { visibility: visibilitiesArg(opts.visibility) })
      })
      printResult(cli.printer, r, x => [
        `wrote ${x.counts.sft} SFT examples and ${x.counts.dpo} preference pairs from ${x.counts.memories} memories and ${x.counts.facts} facts to ${x.dir}`,
        `  distinct prompts ${(x.distinctPrompts * 100).toFixed(1)}%; cited facts checked ${x.cited.checked}, missing ${x.cited.missing}; rejected answers: ${Object.entries(x.failures).map(([k, v]) => `${k} ${v}`).join(', ') || '(none)'}`,
        `  ${x.files.sft}\n  ${x.files.dpo}\n  ${x.files.manifest}`,
        x.containsPrivate ? 'contains PRIVATE memory: keep it to yourself (use --visibility shareable,public for data you share)' : `visibility: ${x.visibility.join(', ') || '(none)'}`
      ].join('\n'))
    })
}
