import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fromString } from 'uint8arrays'
import { InputError } from '../errors.js'
import { normaliseTopic } from '../scope.js'

// A topic is announced as a DHT provider record under the CID of sha256("secondme-topic:" + the
// normalised label): "who here knows about X" becomes one findProviders lookup.

export async function topicCid (topic: string): Promise<CID> {
  const label = normaliseTopic(topic)
  if (label === '' || label.length > 100) throw new InputError('E_BAD_INPUT', 'a topic is 1 to 100 characters')
  const digest = await sha256.digest(fromString(`secondme-topic:${label}`, 'utf8'))
  return CID.createV1(raw.code, digest)
}
