import type { z } from 'zod'
import type { Config } from './config.js'
import { InputError } from './errors.js'
import { MemoryConfigSchema, type MemoryConfig } from './memory/types.js'
import { ModelSettingsSchema, type ModelSettings } from './model/settings.js'
import { NetConfigSchema, type NetConfig } from './net/config.js'

// config.json's area sections, each parsed by its area's own schema once, when a home opens: a bad
// section is E_BAD_CONFIG naming the field at every command (not only at the command that first
// reads it, as a bad `net` once showed up only at `start`). Unknown sections are left alone.

export interface HomeSettings {
  net: NetConfig
  memory: MemoryConfig
  model: ModelSettings
}

export function parseHomeSettings (config: Config, file = 'config.json'): HomeSettings {
  return {
    net: section(file, 'net', NetConfigSchema, config.net),
    memory: section(file, 'memory', MemoryConfigSchema, config.memory),
    model: section(file, 'model', ModelSettingsSchema, config.model)
  }
}

function section<S extends z.ZodType> (file: string, name: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {})
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = [name, ...(issue?.path ?? []).map(String)].join('.')
  throw new InputError('E_BAD_CONFIG', `${file}: ${field}: ${issue?.message ?? 'invalid'}`)
}
