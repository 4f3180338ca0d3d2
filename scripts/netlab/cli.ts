import { createLab, labUnavailable, type HostSpec } from './lab.js'

// `scripts/netlab check` says whether the lab can run here; `scripts/netlab up` builds the standard lab
// (relay and a public node on the "internet", two homes behind cone NATs, one behind a symmetric NAT),
// prints its hosts and namespaces, and tears it all down on Enter or Ctrl-C.

export const STANDARD_LAB: HostSpec[] = [
  { name: 'relay' },
  { name: 'pub' },
  { name: 'cone1', nat: 'cone' },
  { name: 'cone2', nat: 'cone' },
  { name: 'sym1', nat: 'symmetric' }
]

async function main (): Promise<void> {
  const command = process.argv[2] ?? 'check'
  const why = await labUnavailable()
  if (command === 'check') {
    console.log(why === undefined ? 'netlab: ready (root, ip, iptables)' : `netlab: cannot run: ${why}`)
    process.exitCode = why === undefined ? 0 : 1
    return
  }
  if (command !== 'up') throw new Error('usage: scripts/netlab check | up')
  if (why !== undefined) throw new Error(why)
  const lab = await createLab(STANDARD_LAB)
  const down = async (): Promise<void> => { await lab.destroy(); console.log('netlab: torn down'); process.exit(0) }
  process.once('SIGINT', () => { void down() })
  process.once('SIGTERM', () => { void down() })
  for (const h of lab.hosts.values()) console.log(`${h.name.padEnd(6)} ${h.nat.padEnd(9)} ${h.ip.padEnd(13)} ${h.publicIp ?? ''}  ip netns exec ${h.ns} …`)
  console.log('netlab: up; press Enter or Ctrl-C to tear down')
  process.stdin.once('data', () => { void down() })
}

main().catch((err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1 })
