import { existsSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// The dashboard's browser code (src/web) is bundled by esbuild into dist/dashboard: at `npm ci`
// (prepare), and again by the server when the sources are newer (a clone run through tsx). Nothing
// is fetched from a network: preact is bundled in.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const SOURCES = join(ROOT, 'src', 'web')
export const BUNDLE_DIR = join(ROOT, 'dist', 'dashboard')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml'
}

function newest (dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

function isCurrent (): boolean {
  const app = join(BUNDLE_DIR, 'app.js')
  if (!existsSync(app)) return false
  // An installed package has no sources to compare with: its bundle is what it ships.
  return !existsSync(SOURCES) || statSync(app).mtimeMs >= newest(SOURCES)
}

/** Bundle src/web into dist/dashboard (minified, no source maps of private paths). */
export async function buildBundle (): Promise<void> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: { app: join(SOURCES, 'main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outdir: BUNDLE_DIR,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
    legalComments: 'none'
  })
  const { copyFile } = await import('node:fs/promises')
  await copyFile(join(SOURCES, 'index.html'), join(BUNDLE_DIR, 'index.html'))
  await copyFile(join(SOURCES, 'style.css'), join(BUNDLE_DIR, 'style.css'))
}

export interface StaticFile { body: Buffer, type: string }

/** The bundle's files by URL path, built first if missing or older than the sources. */
export async function loadBundle (): Promise<Map<string, StaticFile>> {
  if (!isCurrent()) await buildBundle()
  const files = new Map<string, StaticFile>()
  for (const name of readdirSync(BUNDLE_DIR)) {
    const type = TYPES[extname(name)]
    if (type !== undefined) files.set(`/assets/${name}`, { body: await readFile(join(BUNDLE_DIR, name)), type })
  }
  return files
}
