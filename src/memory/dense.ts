import { simdDots, wasmMemory, type DotsFn } from './simd-dot.js'

const PAGE = 65536

/**
 * Unit vectors as rows of one contiguous float32 matrix in WebAssembly memory, so the per-query scan
 * is one SIMD pass with no copy. Layout: the matrix from byte 0 (it never moves when the memory
 * grows), then scratch space for the query (float64) and the per-row results.
 */
export class DenseMatrix {
  readonly dim: number
  #rows = 0
  #capacity = 0
  readonly #memory = wasmMemory(1)
  readonly #dots: DotsFn | undefined
  #matrix = new Float32Array(0)
  #query = new Float64Array(0)
  #out = new Float64Array(0)

  constructor (dim: number) {
    this.dim = dim
    this.#dots = dim % 4 === 0 ? simdDots(this.#memory) : undefined
    this.#grow(64)
  }

  get rows (): number {
    return this.#rows
  }

  /** Append a row; returns its index. */
  push (v: Float32Array): number {
    if (this.#rows === this.#capacity) this.#grow(Math.max(64, this.#capacity * 2))
    this.set(this.#rows, v)
    return this.#rows++
  }

  set (row: number, v: Float32Array): void {
    this.#matrix.set(v.length > this.dim ? v.subarray(0, this.dim) : v, row * this.dim)
  }

  /** A copy of one row. */
  row (row: number): Float32Array {
    return this.#matrix.slice(row * this.dim, (row + 1) * this.dim)
  }

  /** Remove a row by moving the last one into its place (returns the moved row's old index). */
  swapRemove (row: number): number {
    const last = this.#rows - 1
    if (row !== last) this.#matrix.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim)
    this.#rows = last
    return last
  }

  /** Dot product of q with every row: a view valid until the next call or change. */
  dots (q: Float32Array): Float64Array {
    const out = this.#out.subarray(0, this.#rows)
    if (this.#dots === undefined) {
      for (let r = 0; r < this.#rows; r++) out[r] = dotAt(this.#matrix, r * this.dim, q, this.dim)
      return out
    }
    for (let i = 0; i < this.dim; i++) this.#query[i] = q[i] ?? 0
    this.#dots(0, this.#query.byteOffset, this.#out.byteOffset, this.#rows, this.dim)
    return out
  }

  #grow (capacity: number): void {
    const bytes = capacity * this.dim * 4 + this.dim * 8 + capacity * 8
    const pages = Math.ceil(bytes / PAGE) - this.#memory.buffer.byteLength / PAGE
    if (pages > 0) this.#memory.grow(pages)
    this.#capacity = capacity
    this.#layout()
  }

  /** Views on the (possibly new) buffer: growing the memory detaches the old ones. */
  #layout (): void {
    const buffer = this.#memory.buffer
    const matrixBytes = this.#capacity * this.dim * 4
    this.#matrix = new Float32Array(buffer, 0, this.#capacity * this.dim)
    this.#query = new Float64Array(buffer, matrixBytes, this.dim)
    this.#out = new Float64Array(buffer, matrixBytes + this.dim * 8, this.#capacity)
  }
}

/** The scalar dot product of q with m[at, at + dim): four accumulators, summed in order. */
export function dotAt (m: Float32Array, at: number, q: Float32Array, dim: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = 0
  for (; i + 3 < dim; i += 4) {
    s0 += (m[at + i] as number) * (q[i] as number)
    s1 += (m[at + i + 1] as number) * (q[i + 1] as number)
    s2 += (m[at + i + 2] as number) * (q[i + 2] as number)
    s3 += (m[at + i + 3] as number) * (q[i + 3] as number)
  }
  for (; i < dim; i++) s0 += (m[at + i] as number) * (q[i] as number)
  return s0 + s1 + s2 + s3
}
