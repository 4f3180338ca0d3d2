import type { AbstractSublevel } from 'abstract-level'
import type { Level } from 'level'
import type { ValueCipher } from './cipher.js'
import type { ValueCodec } from './codec.js'
import { isSecondMeError } from '../errors.js'
import { levelCorruption } from './heal.js'

/** What a store does with a record that fails its integrity check (see heal.ts). */
export interface Healer {
  heal: (store: string, key: string, envelope: Uint8Array) => Promise<void>
}

/** Records fetched per read-ahead batch while iterating. */
const READ_AHEAD = 256

export type RawSublevel = AbstractSublevel<Level<string, Uint8Array>, string | Buffer | Uint8Array, string, Uint8Array>

export interface RangeOptions {
  gt?: string
  gte?: string
  lt?: string
  lte?: string
  limit?: number
  reverse?: boolean
}

/**
 * One kind of record in the vault (a LevelDB sublevel). Keys are stored in clear and must never
 * hold personal text; values are encrypted with the record's full key as associated data.
 */
export class VaultStore<V> {
  readonly name: string
  readonly sublevel: RawSublevel
  readonly #cipher: ValueCipher
  readonly #codec: ValueCodec<V>
  readonly #healer: Healer | undefined

  constructor (name: string, sublevel: RawSublevel, cipher: ValueCipher, codec: ValueCodec<V>, healer?: Healer) {
    this.name = name
    this.sublevel = sublevel
    this.#cipher = cipher
    this.#codec = codec
    this.#healer = healer
  }

  aad (key: string): string {
    return `${this.name}\u0000${key}`
  }

  seal (key: string, value: V): Uint8Array {
    return this.#cipher.encrypt(this.aad(key), this.#codec.encode(value))
  }

  open (key: string, envelope: Uint8Array): V {
    return this.#codec.decode(this.#cipher.decrypt(this.aad(key), envelope))
  }

  async get (key: string): Promise<V | undefined> {
    const envelope = await this.#level(async () => await this.sublevel.get(key))
    if (envelope === undefined) return undefined
    const opened = await this.#openOrHeal(key, envelope)
    return opened === undefined ? undefined : opened.value
  }

  async has (key: string): Promise<boolean> {
    return (await this.#level(async () => await this.sublevel.get(key))) !== undefined
  }

  async put (key: string, value: V): Promise<void> {
    const sealed = this.seal(key, value)
    await this.#level(async () => { await this.sublevel.put(key, sealed) })
  }

  async del (key: string): Promise<void> {
    await this.#level(async () => { await this.sublevel.del(key) })
  }

  /** Decrypt, or hand a record that fails its integrity check to the healer (undefined: skip it). */
  async #openOrHeal (key: string, envelope: Uint8Array): Promise<{ value: V } | undefined> {
    try {
      return { value: this.open(key, envelope) }
    } catch (err) {
      if (this.#healer === undefined || !isSecondMeError(err) || err.code !== 'E_CORRUPT') throw err
      await this.#healer.heal(this.name, key, envelope)
      return undefined
    }
  }

  /** LevelDB's own corruption errors surface as E_CORRUPT naming this store. */
  async #level<T> (work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      throw levelCorruption(err, this.name) ?? err
    }
  }

  /**
   * Reads ahead one batch: LevelDB fetches the next batch on its thread pool while this thread
   * decrypts the current one, so decryption overlaps I/O instead of adding to it.
   */
  async * entries (options: RangeOptions = {}): AsyncGenerator<[string, V]> {
    const iterator = this.sublevel.iterator(options)
    let pending: Promise<Array<[string, Uint8Array]>> | undefined = iterator.nextv(READ_AHEAD)
    try {
      for (;;) {
        const batch: Array<[string, Uint8Array]> = await this.#level(async () => await (pending ?? Promise.resolve([])))
        pending = batch.length === 0 ? undefined : iterator.nextv(READ_AHEAD)
        if (pending === undefined) return
        for (const [key, envelope] of batch) {
          const opened = await this.#openOrHeal(key, envelope)
          if (opened !== undefined) yield [key, opened.value]
        }
      }
    } finally {
      // A consumer that stops early leaves one read in flight: settle it before closing.
      await pending?.catch(() => undefined)
      await iterator.close()
    }
  }

  async * keys (options: RangeOptions = {}): AsyncGenerator<string> {
    try {
      for await (const key of this.sublevel.keys(options)) yield key
    } catch (err) {
      throw levelCorruption(err, this.name) ?? err
    }
  }

  async count (options: RangeOptions = {}): Promise<number> {
    return await this.#level(async () => {
      let n = 0
      for await (const _ of this.sublevel.keys(options)) n++
      return n
    })
  }

  /** Stored size in bytes (ciphertext), for `status`. */
  async storedBytes (): Promise<number> {
    return await this.#level(async () => {
      let bytes = 0
      for await (const [key, value] of this.sublevel.iterator()) bytes += key.length + value.byteLength
      return bytes
    })
  }

  async clear (): Promise<void> {
    await this.sublevel.clear()
  }
}
