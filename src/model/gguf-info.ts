import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { readGgufFileInfo } from 'node-llama-cpp'
import { InputError, ModelError } from '../errors.js'

/** What `model add` learns from a GGUF header (never from the network). */
export interface GgufSummary {
  path: string
  size: number
  sha256: string
  kind: 'model' | 'adapter'
  architecture: string
  name: string
  /** `<arch>.context_length` (0 for adapters). */
  contextLength: number
  /** `<arch>.embedding_length` (0 for adapters). */
  embeddingLength: number
  /** general.file_type (llama_ftype: 0 = F32, 1 = F16, 7 = Q8_0 …), if the file says. */
  fileType: number | undefined
  hasChatTemplate: boolean
  tensorCount: number
}

type Meta = Record<string, unknown>

function field (meta: Meta, path: string): unknown {
  let node: unknown = meta
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Meta)[part]
  }
  return node
}

function num (value: unknown): number | undefined {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined
}

export async function sha256File (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Reads and checks a GGUF file's header and tensor table from the local file system only (a URL is
 * refused, never fetched). A file that is not GGUF, is truncated, or has no architecture → E_BAD_MODEL.
 */
export async function inspectGguf (file: string): Promise<GgufSummary> {
  if (/^[a-z]+:\/\//i.test(file)) throw new InputError('E_BAD_INPUT', 'models are local files; URLs are never fetched')
  const path = resolve(file)
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new InputError('E_BAD_INPUT', `${path} is not a file`)
    size = info.size
  } catch (err) {
    if (err instanceof InputError) throw err
    throw new InputError('E_FILE_NOT_FOUND', `${path} does not exist`, { cause: err })
  }
  let info
  try {
    info = await readGgufFileInfo(path, { sourceType: 'filesystem', readTensorInfo: true, logWarnings: false })
  } catch (err) {
    throw new ModelError('E_BAD_MODEL', `${basename(path)} is not a readable GGUF file: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  const meta = info.metadata as unknown as Meta
  const architecture = field(meta, 'general.architecture')
  if (typeof architecture !== 'string' || architecture === '') throw new ModelError('E_BAD_MODEL', `${basename(path)} has no general.architecture`)
  const isAdapter = field(meta, 'general.type') === 'adapter'
  if (isAdapter && field(meta, 'adapter.type') !== 'lora') throw new ModelError('E_BAD_MODEL', `${basename(path)} is an adapter but not a LoRA adapter`)
  const tensorCount = Number(info.tensorCount)
  if (tensorCount === 0) throw new ModelError('E_BAD_MODEL', `${basename(path)} has no tensors`)
  if (info.tensorInfo !== undefined) checkTensorsFit(info.tensorInfo, size, basename(path))
  const name = field(meta, 'general.name')
  return {
    path,
    size,
    sha256: await sha256File(path),
    kind: isAdapter ? 'adapter' : 'model',
    architecture,
    name: typeof name === 'string' && name !== '' ? name : basename(path),
    contextLength: num(field(meta, `${architecture}.context_length`)) ?? 0,
    embeddingLength: num(field(meta, `${architecture}.embedding_length`)) ?? 0,
    fileType: num(field(meta, 'general.file_type')),
    hasChatTemplate: typeof field(meta, 'tokenizer.chat_template') === 'string',
    tensorCount
  }
}

/** A truncated download passes the header read; the tensor offsets show it. */
function checkTensorsFit (tensors: ReadonlyArray<{ offset: number | bigint }>, size: number, name: string): void {
  let maxOffset = 0
  for (const t of tensors) maxOffset = Math.max(maxOffset, Number(t.offset))
  if (maxOffset >= size) throw new ModelError('E_BAD_MODEL', `${name} is truncated (tensor data past the end of the file)`)
}
