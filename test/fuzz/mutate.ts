import fc from 'fast-check'

// Structure-aware mutations of valid samples, so a case gets past a parser's first check and into
// its deeper paths (MIME parts, recurrence rules, PDF objects, chat trees): whole lines deleted,
// repeated, swapped or replaced; format tokens (a dictionary per format) spliced in; and, for JSON,
// a value anywhere in the tree replaced, removed or swapped for another part of the same document.

const enc = new TextEncoder()

/** One edit: which kind, two positions, and a string (a dictionary token or random text). */
type Op = [kind: number, a: number, b: number, s: string]

function opArb (dictionary: readonly string[]): fc.Arbitrary<Op> {
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...dictionary) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '\n', '\r\n', '\u0000', '\uFEFF', '\u200e', 'é', '\uD800', '9'.repeat(30), '-1') }
  )
  return fc.tuple(fc.nat(7), fc.nat(), fc.nat(), text)
}

function applyLineOp (lines: string[], [kind, a, b, s]: Op): string[] {
  if (lines.length === 0) return [s]
  const i = a % lines.length
  const j = b % lines.length
  const out = [...lines]
  const line = out[i] ?? ''
  const at = line.length === 0 ? 0 : b % (line.length + 1)
  switch (kind) {
    case 0: out.splice(i, 1); break
    case 1: out.splice(j, 0, line); break
    case 2: out[i] = out[j] ?? ''; out[j] = line; break
    case 3: out[i] = s; break
    case 4: out.splice(i, 0, s); break
    case 5: out[i] = line.slice(0, at) + s + line.slice(at); break
    case 6: out[i] = line.slice(0, at); break
    default: out[i] = line.slice(0, at) + s + line.slice(Math.min(line.length, at + 1 + (a % 8)))
  }
  return out
}

/** A text sample (chat export, mail, calendar, note, PDF as latin1) with 1–6 line-level edits. */
export function linesAround (samples: readonly string[], dictionary: readonly string[], encoding: BufferEncoding = 'utf8'): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...samples), fc.array(opArb(dictionary), { minLength: 1, maxLength: 6 }), fc.boolean()).map(([sample, ops, crlf]) => {
    const lines = ops.reduce(applyLineOp, sample.split(/\r?\n/))
    return Uint8Array.from(Buffer.from(lines.join(crlf ? '\r\n' : '\n'), encoding))
  })
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every path to a value in `value` (arrays by index, objects by key). */
function pathsOf (value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out))
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out)
  return out
}

function getAt (value: Json, path: Array<string | number>): Json {
  let v: Json | undefined = value
  for (const p of path) v = (v as Record<string | number, Json> | undefined)?.[p]
  return v ?? null
}

/** A copy of `value` with the value at `path` replaced (or removed when `next` is undefined). */
function setAt (value: Json, path: Array<string | number>, next: Json | undefined): Json | undefined {
  if (path.length === 0) return next
  const [head, ...rest] = path as [string | number, ...Array<string | number>]
  if (Array.isArray(value)) {
    const out = [...value]
    const inner = setAt(out[head as number] ?? null, rest, next)
    if (inner === undefined) out.splice(head as number, 1)
    else out[head as number] = inner
    return out
  }
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, Json> = { ...value }
  const inner = setAt(out[head] ?? null, rest, next)
  if (inner === undefined) Reflect.deleteProperty(out, String(head))
  else out[head] = inner
  return out
}

/** JSON samples with 1–4 edits anywhere in the tree, printed, sometimes cut short. */
export function jsonAround (samples: readonly Json[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(fc.nat(3), fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }))
  return fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 4 }), fc.nat(20)).map(([sample, edits, cut]) => {
    let doc: Json = sample
    for (const [kind, a, b, x] of edits) {
      const paths = pathsOf(doc)
      const path = paths[a % paths.length] ?? []
      const other = getAt(doc, paths[b % paths.length] ?? [])
      const next = kind === 0 ? undefined : kind === 1 ? x as Json : kind === 2 ? other : Array.isArray(getAt(doc, path)) ? [...getAt(doc, path) as Json[], other] : other
      doc = setAt(doc, path, next) ?? null
    }
    const text = JSON.stringify(doc, null, cut % 2 === 0 ? 1 : undefined) ?? 'null'
    // One case in ten is cut short: a truncated export.
    return enc.encode(cut === 0 ? text.slice(0, Math.floor(text.length * ((edits[0]?.[1] ?? 0) % 100) / 100)) : text)
  })
}

/** A valid sample with a few bytes flipped, or cut short. */
export function bytesFlipped (valid: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const flipped = fc.tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }))
    .map(([v, flips]) => {
      const out = Uint8Array.from(v)
      for (const [at, x] of flips) out[at % out.length] = (out[at % out.length] ?? 0) ^ x
      return out
    })
  const cut = fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([v, n]) => v.subarray(0, n % (v.length + 1)))
  return fc.oneof(flipped, cut)
}

/** Arbitrary bytes and arbitrary text (what a file of any other kind, or garbage, holds). */
export function anyBytes (): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string({ unit: 'binary', maxLength: 400 }).map(s => enc.encode(s)))
}

export type { Json }
