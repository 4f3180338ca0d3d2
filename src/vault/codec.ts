import { StorageError } from '../errors.js'

/** How a store turns values into bytes before encryption. */
export interface ValueCodec<V> {
  encode: (value: V) => Uint8Array
  decode: (bytes: Uint8Array) => V
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function jsonCodec<V> (): ValueCodec<V> {
  return {
    encode: (value) => encoder.encode(JSON.stringify(value)),
    decode: (bytes) => {
      try {
        return JSON.parse(decoder.decode(bytes)) as V
      } catch (err) {
        throw new StorageError('E_CORRUPT', 'a stored value decrypted but is not valid JSON', { cause: err })
      }
    }
  }
}

export const binaryCodec: ValueCodec<Uint8Array> = {
  encode: (value) => value,
  decode: (bytes) => bytes
}
