import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { ZodError } from 'zod'
import { InputError } from '../../errors.js'
import type { ParsedSource } from '../types.js'
import { looksLikeChatGpt, parseChatGpt } from './chatgpt.js'
import { looksLikeGeneric, parseGeneric } from './generic.js'
import { looksLikeLocomo, parseLocomo } from './locomo.js'
import { parseMarkdown, parseText } from './text.js'

const TEXT = new Set(['.txt', '.text'])
const MARKDOWN = new Set(['.md', '.markdown'])
const JSON_EXT = new Set(['.json'])

export function isSupported (path: string): boolean {
  const ext = extname(path).toLowerCase()
  return TEXT.has(ext) || MARKDOWN.has(ext) || JSON_EXT.has(ext)
}

/** Files named on the command line, folders walked (supported files only, sorted). */
export async function expandPaths (paths: string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    const abs = resolve(p)
    let info
    try {
      info = await stat(abs)
    } catch {
      throw new InputError('E_FILE_NOT_FOUND', `${p}: no such file or folder`)
    }
    if (info.isDirectory()) {
      const entries = await readdir(abs, { recursive: true, withFileTypes: true })
      out.push(...entries.filter(e => e.isFile() && isSupported(e.name)).map(e => join(e.parentPath, e.name)).sort())
    } else out.push(abs)
  }
  return [...new Set(out)]
}

/** Read and parse one file; any problem is an InputError that names the file. */
export async function parseFile (path: string): Promise<ParsedSource & { content: string }> {
  const ext = extname(path).toLowerCase()
  if (!isSupported(path)) throw new InputError('E_UNSUPPORTED_FORMAT', `${path}: unsupported file type "${ext || '(none)'}" (supported: .txt, .md, .json)`)
  const content = await readFile(path, 'utf8')
  const time = (await stat(path)).mtime.toISOString()
  if (TEXT.has(ext)) return { format: 'text', items: parseText(content, time), content }
  if (MARKDOWN.has(ext)) return { format: 'markdown', items: parseMarkdown(content, time), content }
  return { ...parseJson(path, content), content }
}

export function parseJson (path: string, content: string): ParsedSource {
  let json: unknown
  try {
    json = JSON.parse(content)
  } catch (err) {
    throw new InputError('E_MALFORMED_FILE', `${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  try {
    if (looksLikeLocomo(json)) return { format: 'locomo', items: parseLocomo(json) }
    if (looksLikeChatGpt(json)) return { format: 'chatgpt', items: parseChatGpt(json) }
    if (looksLikeGeneric(json)) return { format: 'generic', items: parseGeneric(json) }
  } catch (err) {
    if (err instanceof ZodError) {
      const issue = err.issues[0]
      throw new InputError('E_MALFORMED_FILE', `${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid content'}`)
    }
    throw err
  }
  throw new InputError('E_UNSUPPORTED_FORMAT', `${path}: JSON is not a LoCoMo, ChatGPT conversations.json or generic {messages:[…]} conversation`)
}
