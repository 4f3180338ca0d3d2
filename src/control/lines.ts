import { StringDecoder } from 'node:string_decoder'

/** Splits a byte stream into lines, refusing to buffer a line longer than `maxBytes`. */
export class LineReader {
  readonly #maxBytes: number
  readonly #decoder = new StringDecoder('utf8')
  #pending = ''
  #overflowed = false

  constructor (maxBytes: number) {
    this.#maxBytes = maxBytes
  }

  push (chunk: Buffer): { lines: string[], overflow: boolean } {
    if (this.#overflowed) return { lines: [], overflow: false }
    const parts = (this.#pending + this.#decoder.write(chunk)).split('\n')
    this.#pending = parts.pop() ?? ''
    const lines = parts.filter(line => Buffer.byteLength(line) <= this.#maxBytes)
    const overflow = lines.length < parts.length || Buffer.byteLength(this.#pending) > this.#maxBytes
    if (overflow) {
      this.#overflowed = true
      this.#pending = ''
    }
    return { lines, overflow }
  }
}
