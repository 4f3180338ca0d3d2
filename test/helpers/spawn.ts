import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './tmp.js'

// Every `secondme` child a test starts: in its own process group (so one kill takes it and anything
// it started), told to exit when its parent dies (SECONDME_EXIT_WITH_PARENT: covers a kill -9 of the
// test runner, where no teardown runs), and killed by group when this process exits.

const live = new Set<ChildProcessWithoutNullStreams>()

export function spawnSecondMe (args: string[], env: Record<string, string | undefined> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/secondme.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, SECONDME_EXIT_WITH_PARENT: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true
  })
  live.add(child)
  child.once('exit', () => { live.delete(child) })
  return child
}

/** Signal the child's whole process group (a no-op once it is gone). */
export function killGroup (child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

process.once('exit', () => { for (const child of live) killGroup(child) })

/** SIGINT (the normal shutdown), then SIGKILL to the whole group if it has not exited within `ms`. */
export async function stopSecondMe (child: ChildProcessWithoutNullStreams, ms = 15_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = new Promise<number | null>(resolve => { child.once('exit', code => { resolve(code) }) })
  child.kill('SIGINT')
  const timer = setTimeout(() => { killGroup(child) }, ms)
  try {
    return await exited
  } finally {
    clearTimeout(timer)
    // Anything the node started in its group goes with it.
    killGroup(child)
  }
}

/** The URL a `secondme start` child prints as `http on http://127.0.0.1:<port>`; rejects if it exits first. */
export async function httpUrlOf (child: ChildProcessWithoutNullStreams): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /^http on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.on('exit', code => { reject(new Error(`start exited ${code}`)) })
  })
}
