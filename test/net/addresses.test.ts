import type { NetworkInterfaceInfo } from 'node:os'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { reachFirstSorter } from '../../src/net/addresses.js'

// The order a peer's addresses are dialled in, seen from a laptop on 192.168.1.0/24.

const lan: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '192.168.1.7', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.7/24' }]
}

describe('reachFirstSorter', () => {
  it('dials public, then same-LAN, then relayed, then other private addresses, loopback last', () => {
    const peer = '12D3KooWRGzsnnoifgkguYHSMQNSzygPeZn6Btk6ZmvqpucYVC7S'
    const relay = '12D3KooWEbtFNJ9XwTTTo15vdRkXho7ppTC4wH8xQyEjFHrZxU3k'
    const addrs = [
      '/ip4/127.0.0.1/tcp/4001',
      '/ip4/192.168.2.2/tcp/4001',
      `/ip4/203.0.113.9/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peer}`,
      '/ip4/192.168.1.20/tcp/4001',
      '/ip4/81.2.69.160/tcp/4001'
    ].map(a => ({ multiaddr: multiaddr(a), isCertified: false }))
    const sorted = [...addrs].sort(reachFirstSorter(() => lan)).map(a => a.multiaddr.toString())
    expect(sorted).toEqual([
      '/ip4/81.2.69.160/tcp/4001',
      '/ip4/192.168.1.20/tcp/4001',
      `/ip4/203.0.113.9/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peer}`,
      '/ip4/192.168.2.2/tcp/4001',
      '/ip4/127.0.0.1/tcp/4001'
    ])
  })
})
