import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import type { AddressSorter } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { isLoopback, isPrivate } from '@libp2p/utils'

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

/** One of this machine's IPv4 networks: address and mask as 32-bit numbers. */
interface Subnet4 { net: number, mask: number }

function ip4ToInt (ip: string): number | undefined {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
  return parts.reduce((acc, p) => ((acc << 8) | p) >>> 0, 0)
}

/** The IPv4 networks this machine's interfaces are on (re-read now and then: laptops roam). */
function localSubnets (interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): Subnet4[] {
  const out: Subnet4[] = []
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue
      const ip = ip4ToInt(info.address)
      const mask = ip4ToInt(info.netmask)
      if (ip !== undefined && mask !== undefined) out.push({ net: (ip & mask) >>> 0, mask })
    }
  }
  return out
}

/**
 * The order libp2p dials a peer's addresses in. libp2p's default tries a peer's private addresses
 * before its relayed ones; for a peer behind another home router those are unreachable (or worse,
 * someone else on our own LAN), and each costs up to the per-address timeout (6 s) before the relay
 * is tried. Here: public direct addresses, then private ones on one of our own networks (same LAN),
 * then relayed ones, then other private ones, loopback last.
 */
export function reachFirstSorter (readInterfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces): AddressSorter {
  let subnets: Subnet4[] = []
  let readAt = 0
  const onOurNetwork = (ma: Multiaddr): boolean => {
    if (Date.now() - readAt > 60_000) {
      subnets = localSubnets(readInterfaces())
      readAt = Date.now()
    }
    const ip4 = ma.getComponents().find(c => c.name === 'ip4')?.value
    const ip = ip4 === undefined ? undefined : ip4ToInt(ip4)
    return ip !== undefined && subnets.some(s => ((ip & s.mask) >>> 0) === s.net)
  }
  const rank = (ma: Multiaddr): number => {
    if (ma.toString().includes('/p2p-circuit')) return 2
    if (isLoopback(ma)) return 4
    if (isPrivate(ma) !== true) return 0
    return onOurNetwork(ma) ? 1 : 3
  }
  return (a, b) => {
    const d = rank(a.multiaddr) - rank(b.multiaddr)
    return d < 0 ? -1 : d > 0 ? 1 : 0
  }
}
