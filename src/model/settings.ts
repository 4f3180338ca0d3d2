import { z } from 'zod'
import { InputError } from '../errors.js'

/**
 * The `model` section of config.json. Threads and context size are settings, not constants: a
 * laptop and a server want different ones. `gpu: 'auto'` lets node-llama-cpp pick Metal/CUDA/Vulkan
 * when a prebuilt binary for it exists; `false` forces CPU.
 */
export const ModelSettingsSchema = z.object({
  /**
   * CPU threads for generation. 0 = one less than the cores: using every core stalls generation
   * badly whenever anything else runs (measured: minutes instead of seconds on 2 cores). @default 0
   */
  threads: z.number().int().min(0).max(256).default(0),
  /** Tokens of context per model context. @default 2048 */
  contextSize: z.number().int().min(128).max(262_144).default(2048),
  gpu: z.union([z.literal('auto'), z.literal(false)]).default('auto'),
  /** Upper bound on generated tokens per answer. @default 256 */
  maxTokens: z.number().int().min(1).max(8192).default(256),
  /** Memories recalled for an answer. @default 6 */
  recallK: z.number().int().min(1).max(50).default(6)
}).loose()

export type ModelSettings = z.infer<typeof ModelSettingsSchema>

export function parseModelSettings (section: unknown): ModelSettings {
  const parsed = ModelSettingsSchema.safeParse(section ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InputError('E_BAD_CONFIG', `config.json model.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}
