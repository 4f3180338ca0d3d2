// Opt-in (SECONDME_EXIT_WITH_PARENT=1) for processes started by a test harness or a supervisor: when
// the parent dies without stopping us (kill -9 of a test runner), end instead of living on as an
// orphan that keeps a port, a vault lock and a CPU. Linux re-parents an orphan, so its ppid changes;
// a 1 s poll notices. SIGTERM runs the command's normal shutdown (a running node closes its vault).

const POLL_MS = 1000
const GRACE_MS = 10_000

export function exitWithParent (env: NodeJS.ProcessEnv): void {
  if (env.SECONDME_EXIT_WITH_PARENT !== '1') return
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
    // A shutdown that hangs must not become the orphan we are avoiding.
    setTimeout(() => { process.exit(70) }, GRACE_MS).unref()
  }, POLL_MS)
  timer.unref()
}
