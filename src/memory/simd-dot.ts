// The one hot loop of semantic recall, as a few dozen WebAssembly SIMD instructions: the query's dot
// product with every row of the vector matrix (~3k × 512 per query). It reads the float32 matrix
// four lanes at a time but multiplies and sums in float64 lanes in exactly the order of the scalar
// dotAt() (lane j accumulates elements ≡ j mod 4; products of two float32 are exact in float64), so
// its results are bit-identical to the JavaScript loop, ~2.5× faster. Assembled here from named
// opcodes rather than shipped as an opaque binary.

/** dots(matrix, query, out, rows, dim): byte offsets into the memory; query is float64, dim % 4 = 0. */
export type DotsFn = (matrix: number, query: number, out: number, rows: number, dim: number) => void

const leb = (n: number): number[] => {
  const out: number[] = []
  do {
    const low = n & 0x7f
    n >>>= 7
    out.push(n === 0 ? low : low | 0x80)
  } while (n !== 0)
  return out
}
const name = (s: string): number[] => [...leb(s.length), ...new TextEncoder().encode(s)]
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body]

const get = (i: number): number[] => [0x20, i]
const set = (i: number): number[] => [0x21, i]
const tee = (i: number): number[] => [0x22, i]
const i32 = (n: number): number[] => [0x41, n] // 0 <= n < 64
const ADD = 0x6a
const SHL = 0x74
const MUL = 0x6c
const LT_U = 0x49
const GE_U = 0x4f
const BR_IF = (depth: number): number[] => [0x0d, depth]
const BLOCK = [0x02, 0x40]
const LOOP = [0x03, 0x40]
const END = 0x0b
const simd = (op: number, ...immediates: number[]): number[] => [0xfd, ...leb(op), ...immediates]
const v128Load = (align: number, offset: number): number[] => simd(0x00, align, offset)
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0))
const highToLow = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)
const promoteLow = simd(0x5f)
const f64x2Mul = simd(0xf2)
const f64x2Add = simd(0xf0)
const lane = (l: number): number[] => simd(0x21, l)
const F64_ADD = 0xa0
const F64_STORE = [0x39, 3, 0]

// Locals: params, then qp and rowEnd (i32), a and b (float64 pairs: lanes 0,1 and 2,3), v, end.
const [MAT, Q, OUT, ROWS, DIM, QP, ROW_END, A, B, V, MAT_END] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const

const body = [
  ...get(ROWS), ...get(DIM), MUL, ...i32(2), SHL, ...get(MAT), ADD, ...set(MAT_END),
  ...BLOCK, ...get(MAT), ...get(MAT_END), GE_U, ...BR_IF(0),
  ...LOOP, // one row
  ...v128Zero, ...set(A), ...v128Zero, ...set(B), ...get(Q), ...set(QP),
  ...get(MAT), ...get(DIM), ...i32(2), SHL, ADD, ...set(ROW_END),
  ...LOOP, // four elements: a += promote(m[0..1]) * q[0..1]; b += promote(m[2..3]) * q[2..3]
  ...get(MAT), ...v128Load(2, 0), ...set(V),
  ...get(A), ...get(V), ...promoteLow, ...get(QP), ...v128Load(3, 0), ...f64x2Mul, ...f64x2Add, ...set(A),
  ...get(B), ...get(V), ...get(V), ...highToLow, ...promoteLow, ...get(QP), ...v128Load(3, 16), ...f64x2Mul, ...f64x2Add, ...set(B),
  ...get(QP), ...i32(32), ADD, ...set(QP),
  ...get(MAT), ...i32(16), ADD, ...tee(MAT), ...get(ROW_END), LT_U, ...BR_IF(0),
  END,
  // out[row] = ((s0 + s1) + s2) + s3, as dotAt sums its four accumulators
  ...get(OUT), ...get(A), ...lane(0), ...get(A), ...lane(1), F64_ADD, ...get(B), ...lane(0), F64_ADD, ...get(B), ...lane(1), F64_ADD, ...F64_STORE,
  ...get(OUT), ...i32(8), ADD, ...set(OUT),
  ...get(MAT), ...get(MAT_END), LT_U, ...BR_IF(0),
  END,
  END,
  END
]
const locals = [3, 2, 0x7f, 3, 0x7b, 1, 0x7f]
const code = [...locals, ...body]

const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
  ...section(2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 1]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('dots'), 0x00, 0]),
  ...section(10, [1, ...leb(code.length), ...code])
])

// The project compiles without the DOM lib, which is where TypeScript declares WebAssembly.
export interface WasmMemory { readonly buffer: ArrayBuffer, grow: (pages: number) => number }
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
  validate: (bytes: Uint8Array) => boolean
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

export function wasmMemory (pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages })
}

let compiled: object | null | undefined

/** The SIMD kernel bound to `memory`, or undefined where WebAssembly SIMD is unavailable. */
export function simdDots (memory: WasmMemory): DotsFn | undefined {
  if (compiled === undefined) compiled = wasm.validate(MODULE) ? new wasm.Module(MODULE) : null
  if (compiled === null) return undefined
  return new wasm.Instance(compiled, { m: { memory } }).exports.dots as DotsFn
}
