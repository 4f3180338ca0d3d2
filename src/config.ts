import { readFile, writeFile, rename } from 'node:fs/promises'
import { z } from 'zod'
import { InputError } from './errors.js'

// The home's config.json: resolved once when a SecondMe opens, then passed down as plain values.
// Each area owns one section; unknown sections are kept so older versions do not drop newer settings.

export const ConfigSchema = z.object({
  displayName: z.string().max(100).optional(),
  vault: z.object({
    /** fsync every write (survives power loss, not only a crash). */
    sync: z.boolean().default(false)
  }).default({ sync: false }),
  net: z.record(z.string(), z.unknown()).default({}),
  memory: z.record(z.string(), z.unknown()).default({}),
  model: z.record(z.string(), z.unknown()).default({})
}).loose()

export type Config = z.infer<typeof ConfigSchema>

export function defaultConfig (): Config {
  return ConfigSchema.parse({})
}

export async function readConfig (path: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig()
    throw new InputError('E_BAD_CONFIG', `cannot read ${path}`, { cause: err })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new InputError('E_BAD_CONFIG', `${path} is not valid JSON`, { cause: err })
  }
  const parsed = ConfigSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InputError('E_BAD_CONFIG', `${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim())
  }
  return parsed.data
}

export async function writeConfig (path: string, config: Config): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  await rename(tmp, path)
}
