import { SecondMeError } from '../errors.js'

export interface Printer {
  json: boolean
  out: (text: string) => void
  err: (text: string) => void
}

/** Print a result as JSON (--json) or through the command's text formatter. */
export function printResult<R> (printer: Printer, result: R, asText: (result: R) => string): void {
  if (printer.json) printer.out(JSON.stringify(result, null, 2))
  else {
    const text = asText(result)
    if (text !== '') printer.out(text)
  }
}

/** One line on stderr (or a JSON error object), never a stack trace for expected errors. */
export function printError (printer: Printer, err: unknown): void {
  const error = err instanceof SecondMeError
    ? err.toJSON()
    : { code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err) }
  if (printer.json) printer.err(JSON.stringify({ error }))
  else printer.err(`secondme: ${error.code}: ${error.message}`)
  if (!(err instanceof SecondMeError) || err.code === 'E_INTERNAL') {
    if (process.env.SECONDME_DEBUG === '1' && err instanceof Error) printer.err(err.stack ?? '')
  }
}

export function formatBytes (bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export function table (rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map(row => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n')
}
