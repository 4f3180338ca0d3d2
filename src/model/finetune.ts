import { spawn } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ModelError } from '../errors.js'

export interface FinetuneInit {
  /** The llama-finetune binary. @default $SECONDME_FINETUNE_BIN or .cache/llama-tools/bin/llama-finetune */
  bin?: string
  /** Base model: must be F32 (llama.cpp's finetune trains F32 weights only). */
  model: string
  /** Plain-text corpus. */
  data: string
  out: string
  epochs: number
  threads: number
  /** Training window in tokens. @default 256 */
  contextSize?: number
  /** @default 1e-4 (on stories260K: loss falls every epoch; 1e-3 oscillates after the second) */
  learningRate?: number
  signal?: AbortSignal
  onEpoch?: (epoch: number, trainLoss: number) => void
}

export interface FinetuneResult {
  /** Loss of the untouched base model on the first batch (measured before the first update). */
  initialLoss: number
  /** Training loss at the end of each epoch (the mean over the epoch's batches). */
  losses: number[]
  out: string
}

/** Where `npm run build:finetune` caches the tool (project-local, git-ignored). */
export function defaultFinetuneBin (): string {
  const fromEnv = process.env.SECONDME_FINETUNE_BIN
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : resolve(import.meta.dirname, '..', '..', '.cache', 'llama-tools', 'bin', 'llama-finetune')
}

export async function finetuneAvailable (bin = defaultFinetuneBin()): Promise<boolean> {
  return await access(bin, constants.X_OK).then(() => true, () => false)
}

/**
 * Epoch losses from llama-finetune's progress output: "train: [...] data=i/n loss=X±Y …", updated
 * per batch (the running mean over the epoch); the update with i = n is the epoch's loss.
 */
export function parseLosses (stderr: string): number[] {
  const losses: number[] = []
  for (const m of stderr.matchAll(/train: \[[^\]]*\] data=(\d+)\/(\d+) loss=([0-9.]+)/g)) {
    if (m[1] === m[2] && m[3] !== undefined) losses.push(Number(m[3]))
  }
  return losses
}

/** The first batch's loss: computed by the forward pass before any weight update, i.e. the base model's. */
export function parseInitialLoss (stderr: string): number {
  const m = stderr.match(/train: \[[^\]]*\] data=0*1\/\d+ loss=([0-9.]+)/)
  return m?.[1] === undefined ? NaN : Number(m[1])
}

/**
 * Runs llama.cpp's own `llama-finetune` (full fine-tune of an F32 GGUF, CPU) on a text corpus and
 * writes the trained F32 model to `out`. Offline: the tool is built from the source node-llama-cpp ships.
 */
export async function finetune (init: FinetuneInit): Promise<FinetuneResult> {
  const bin = init.bin ?? defaultFinetuneBin()
  if (!await finetuneAvailable(bin)) throw new ModelError('E_TRAIN_FAILED', `llama-finetune is not built (${bin}); run \`npm run build:finetune\` once (~6–7 min on 2 cores)`)
  const ctx = String(init.contextSize ?? 256)
  const args = ['-m', init.model, '-f', init.data, '-o', init.out, '-c', ctx, '-b', ctx, '-ub', ctx,
    '-t', String(init.threads), '--epochs', String(init.epochs), '-lr', String(init.learningRate ?? 1e-4)]
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(init.signal === undefined ? {} : { signal: init.signal }) })
  let stderr = ''
  let reported = 0
  child.stdout.resume()
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    const losses = parseLosses(stderr)
    while (reported < losses.length) {
      init.onEpoch?.(reported + 1, losses[reported] ?? NaN)
      reported++
    }
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  }).catch((err: unknown) => {
    throw new ModelError('E_TRAIN_FAILED', `llama-finetune could not run: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  })
  if (code !== 0) {
    const tail = stderr.split(/[\r\n]/).filter(l => l.trim() !== '').slice(-3).join(' | ')
    throw new ModelError('E_TRAIN_FAILED', `llama-finetune exited with ${String(code)}: ${tail}`)
  }
  return { initialLoss: parseInitialLoss(stderr), losses: parseLosses(stderr), out: init.out }
}
