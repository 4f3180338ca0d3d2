import type { Leak } from './metrics.js'
import { CANARY_PATTERN } from './personas.js'

/**
 * Checks everything a node received from others for canaries, at the receiving side: memory
 * answers, conversation turns, introduction decisions, profiles and other DHT records. A canary
 * that reaches any node other than its owner is a leak.
 */
export class LeakDetector {
  readonly #owners = new Map<string, number>()
  readonly leaks: Leak[] = []
  scanned = 0

  constructor (canaries: readonly string[]) {
    canaries.forEach((canary, owner) => { this.#owners.set(canary, owner) })
  }

  /** Scan a received value; returns the number of leaks found in it. */
  scan (receiver: number, where: string, value: unknown): number {
    this.scanned++
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
    let found = 0
    for (const match of text.matchAll(CANARY_PATTERN)) {
      const owner = this.#owners.get(match[0]) ?? -1
      if (owner === receiver) continue
      this.leaks.push({ canary: match[0], owner, receiver, where })
      found++
    }
    return found
  }
}
