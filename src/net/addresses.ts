import type { Multiaddr } from '@multiformats/multiaddr'
import { isPrivate } from '@libp2p/utils'

/** Most addresses a profile carries (the schema's limit). */
export const MAX_PROFILE_ADDRESSES = 20

/**
 * The addresses a profile announces, best first: public direct addresses, then relayed
 * (/p2p-circuit) ones, then private and loopback ones (useful on the same LAN or machine only).
 */
export function profileAddresses (addrs: readonly Multiaddr[]): string[] {
  const rank = (ma: Multiaddr): number => {
    if (ma.toString().includes('/p2p-circuit')) return 1
    return isPrivate(ma) ? 2 : 0
  }
  return [...addrs]
    .map((ma, i) => ({ text: ma.toString(), rank: rank(ma), i }))
    .filter(a => a.text.length <= 300)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, MAX_PROFILE_ADDRESSES)
    .map(a => a.text)
}
