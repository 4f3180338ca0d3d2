import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import chromium from '@sparticuz/chromium'
import { chromium as pw, type Browser, type Page } from 'playwright-core'
import { REPO_ROOT } from '../helpers/tmp.js'

// A real Chromium (the binary in the @sparticuz/chromium package) driven by playwright-core.

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'dashboard')

export async function launch (): Promise<Browser> {
  return await pw.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true })
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source

export interface AxeViolation { id: string, impact: string | null, help: string, nodes: Array<{ target: unknown[] }> }

/** Run axe-core in the page (through the devtools protocol, so the page's CSP stays strict). */
export async function seriousViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  // Page code as a string: it runs in the browser, where `axe` and `document` exist.
  const violations = await page.evaluate("axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations)") as AxeViolation[]
  return violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
}

export async function screenshot (page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * Console errors and uncaught exceptions of a page (a CSP violation shows up here). A failed
 * resource load is the browser noting an error answer the page handles (no session yet, node offline).
 */
export function watchErrors (page: Page): string[] {
  const errors: string[] = []
  page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()) })
  page.on('pageerror', e => { errors.push(e.message) })
  return errors
}
