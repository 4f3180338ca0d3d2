import { randomBytes } from 'node:crypto'
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { z } from 'zod'

// The run file tells other processes that a node serves this home: its pid, its socket and the
// token a client must present. Mode 0600 in the 0700 home: only the owner can read the token.

export const RunFileSchema = z.object({
  pid: z.number().int().positive(),
  socket: z.string().min(1),
  token: z.string().min(32).max(200),
  peerId: z.string(),
  startedAt: z.string()
}).strict()
export type RunFile = z.infer<typeof RunFileSchema>

export async function writeRunFile (path: string, run: RunFile): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(tmp, JSON.stringify(run) + '\n', { mode: 0o600, flag: 'wx' })
  await chmod(tmp, 0o600)
  await rename(tmp, path)
}

/** The run file, undefined if absent; 'malformed' if it exists but is not one of ours. */
export async function readRunFile (path: string): Promise<RunFile | 'malformed' | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    const parsed = RunFileSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : 'malformed'
  } catch {
    return 'malformed'
  }
}

/** Remove the run file only if it still holds `token` (a newer node may have replaced it). */
export async function removeRunFile (path: string, token?: string): Promise<void> {
  if (token !== undefined) {
    const current = await readRunFile(path)
    if (current === undefined || (current !== 'malformed' && current.token !== token)) return
  }
  await rm(path, { force: true })
}

export function processAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
