import { SingleBar, Presets } from 'cli-progress'
import type { ProgressEvent } from '../ops.js'
import { forTerminal } from '../util/terminal.js'

/** A progress bar on stderr for long runs; silent when stderr is not a terminal or with --json. */
export function progressBar (enabled: boolean): { onProgress: (event: ProgressEvent) => void, stop: () => void } {
  if (!enabled) return { onProgress: () => {}, stop: () => {} }
  let bar: SingleBar | undefined
  let phase = ''
  const stop = (): void => {
    bar?.stop()
    bar = undefined
  }
  const onProgress = (event: ProgressEvent): void => {
    if (event.total === undefined) return
    if (bar === undefined || event.phase !== phase) {
      stop()
      phase = event.phase
      bar = new SingleBar({ format: `${phase.padEnd(10)} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic)
      bar.start(event.total, event.done, { detail: forTerminal(event.detail ?? '') })
    }
    bar.setTotal(event.total)
    bar.update(event.done, { detail: forTerminal(event.detail ?? '') })
  }
  return { onProgress, stop }
}
