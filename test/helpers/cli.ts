import { spawnSecondMe } from './spawn.js'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Run the real `secondme` binary as a child process (what a user runs). */
export async function runCli (args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  const child = spawnSecondMe(args, { SECONDME_PASSPHRASE: undefined, SECONDME_HOME: undefined, ...env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8') })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8') })
  child.stdin.end(input)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c) => { resolve(c) })
  })
  return { code, stdout, stderr }
}
