import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp'
import { ModelError } from '../errors.js'

export type GpuSetting = 'auto' | false

// One Llama binding per GPU setting for the whole process: loading the native addon is the
// expensive part and node-llama-cpp expects it to be shared by every model.
const runtimes = new Map<string, Promise<Llama>>()

/**
 * The node-llama-cpp runtime, loaded on first use. `build: 'never'`: only prebuilt binaries are
 * used, so nothing compiles or downloads implicitly; a machine without one gets a clear error.
 */
export async function llamaRuntime (gpu: GpuSetting = 'auto'): Promise<Llama> {
  const key = String(gpu)
  let runtime = runtimes.get(key)
  if (runtime === undefined) {
    runtime = getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error, logger: () => {} })
      .catch((err: unknown) => {
        runtimes.delete(key)
        throw new ModelError('E_BAD_MODEL', `cannot load the llama.cpp runtime: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
      })
    runtimes.set(key, runtime)
  }
  return await runtime
}
