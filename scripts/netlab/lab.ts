import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

// A NAT lab made of network namespaces (run as root): a "public internet" segment (a bridge in its
// own namespace) with public hosts and home routers on it; behind each router a home network whose
// traffic the router masquerades. Cone routers use plain MASQUERADE (Linux keeps the mapping of a
// socket the same for every destination: endpoint-independent mapping); symmetric routers add
// --random-fully (a new random port per destination, as a symmetric NAT does).
//
// Every address lives inside the namespaces the lab creates: the namespaces have no link to the
// host's own network, so no packet can leave the machine. All names carry a random run id and the
// owner's pid, and destroy() ends every process left in them and removes every namespace (and with it
// every interface and rule in it). If the owner dies before that (killed test runner), its process
// 'exit' hook tears down what it can, and the next lab sweeps the namespaces of owners that are gone.

const run = promisify(execFile)

export type NatKind = 'cone' | 'symmetric'

export interface HostSpec {
  /** Host name in the lab (letters/digits, short). */
  name: string
  /** A public host sits on the internet segment; a home host behind its own router. */
  nat?: NatKind
}

export interface LabHost {
  name: string
  ns: string
  /** The host's own address (a home address for hosts behind NAT). */
  ip: string
  nat: NatKind | 'public'
  /** For hosts behind NAT: the router's address on the internet segment. */
  publicIp?: string
}

export interface Lab {
  id: string
  hosts: Map<string, LabHost>
  host: (name: string) => LabHost
  /** Run a command inside a host's namespace. */
  exec: (name: string, cmd: string[]) => Promise<string>
  /** Start a long-running process inside a host's namespace. */
  spawn: (name: string, cmd: string[], env?: NodeJS.ProcessEnv) => ChildProcess
  destroy: () => Promise<void>
}

const INTERNET = '10.200.0.'

/** Why the lab cannot run here, or undefined when it can (root, `ip`, `iptables`). */
export async function labUnavailable (): Promise<string | undefined> {
  if (process.platform !== 'linux') return `the NAT lab needs Linux network namespaces (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'the NAT lab needs root (ip netns, iptables); run the tests as root'
  for (const tool of ['ip', 'iptables']) {
    try {
      await run(tool, ['-V'])
    } catch {
      return `the NAT lab needs \`${tool}\` (Debian: apt-get install -y ${tool === 'ip' ? 'iproute2' : 'iptables'})`
    }
  }
  return undefined
}

async function sh (cmd: string[]): Promise<string> {
  const [file, ...args] = cmd
  if (file === undefined) throw new Error('empty command')
  try {
    const { stdout } = await run(file, args)
    return stdout
  } catch (err) {
    const detail = err instanceof Error && 'stderr' in err ? String(err.stderr) : String(err)
    throw new Error(`netlab: \`${cmd.join(' ')}\` failed: ${detail.trim()}`)
  }
}

const inNs = (ns: string, cmd: string[]): string[] => ['ip', 'netns', 'exec', ns, ...cmd]

/** Namespace names: `sm<run id>p<owner pid>-<host>`. */
const NS_NAME = /^sm[0-9a-f]{6}p(\d+)-/

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM'
  }
}

/** End the processes still running in `ns` and delete it (synchronous: also usable in an 'exit' hook). */
function removeNs (ns: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    for (const pid of pids.split(/\s+/).filter(p => p !== '')) {
      try { process.kill(Number(pid), 'SIGKILL') } catch { /* already gone */ }
    }
  } catch { /* no such namespace */ }
  try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }) } catch { /* already gone */ }
}

/** Remove the namespaces of labs whose owner process is gone (a killed test or benchmark). */
export function sweepStaleLabs (): string[] {
  let list = ''
  try {
    list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return []
  }
  const stale = list.split('\n').map(line => line.split(' ')[0] ?? '').filter(ns => {
    const owner = NS_NAME.exec(ns)?.[1]
    return owner !== undefined && Number(owner) !== process.pid && !alive(Number(owner))
  })
  for (const ns of stale) removeNs(ns)
  return stale
}

/** The lab's handle; until destroy(), a process 'exit' hook removes its namespaces. */
function labHandle (id: string, hosts: Map<string, LabHost>, namespaces: string[]): Lab {
  const onExit = (): void => { for (const ns of [...namespaces].reverse()) removeNs(ns) }
  process.once('exit', onExit)
  const lab: Lab = {
    id,
    hosts,
    host: (name) => {
      const h = hosts.get(name)
      if (h === undefined) throw new Error(`netlab: no host ${name}`)
      return h
    },
    exec: async (name, cmd) => await sh(inNs(lab.host(name).ns, cmd)),
    spawn: (name, cmd, env) => spawn('ip', ['netns', 'exec', lab.host(name).ns, ...cmd], { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] }),
    destroy: async () => {
      process.removeListener('exit', onExit)
      onExit()
      namespaces.length = 0
    }
  }
  return lab
}

/** Build the lab: one namespace per host and per home router, all joined by the internet bridge. */
export async function createLab (specs: readonly HostSpec[]): Promise<Lab> {
  sweepStaleLabs()
  const id = `${randomBytes(3).toString('hex')}p${process.pid}`
  const namespaces: string[] = []
  const hosts = new Map<string, LabHost>()
  const nsOf = (name: string): string => `sm${id}-${name}`
  const addNs = async (ns: string): Promise<void> => {
    namespaces.push(ns)
    await sh(['ip', 'netns', 'add', ns])
    await sh(inNs(ns, ['ip', 'link', 'set', 'lo', 'up']))
  }
  const lab = labHandle(id, hosts, namespaces)
  try {
    const inet = nsOf('inet')
    await addNs(inet)
    await sh(inNs(inet, ['ip', 'link', 'add', 'br0', 'type', 'bridge']))
    await sh(inNs(inet, ['ip', 'link', 'set', 'br0', 'up']))
    let next = 1
    let home = 1
    for (const spec of specs) {
      const outside = `${INTERNET}${next++}`
      if (spec.nat === undefined) {
        const ns = nsOf(spec.name)
        await addNs(ns)
        await plug(inet, ns, `p${next}`, outside)
        hosts.set(spec.name, { name: spec.name, ns, ip: outside, nat: 'public' })
        continue
      }
      const router = nsOf(`r${spec.name}`)
      const ns = nsOf(spec.name)
      await addNs(router)
      await addNs(ns)
      await plug(inet, router, `p${next}`, outside)
      const lan = `192.168.${home++}.`
      await link(router, `${lan}1`, ns, `${lan}2`)
      await sh(inNs(ns, ['ip', 'route', 'add', 'default', 'via', `${lan}1`]))
      await sh(inNs(router, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']))
      const masquerade = ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', `${lan}0/24`, '-o', 'eth0', '-j', 'MASQUERADE']
      await sh(inNs(router, spec.nat === 'symmetric' ? [...masquerade, '--random-fully'] : masquerade))
      // A home router's firewall: unsolicited connections from the internet are dropped (not refused).
      await sh(inNs(router, ['iptables', '-A', 'INPUT', '-i', 'eth0', '-p', 'tcp', '--syn', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP']))
      hosts.set(spec.name, { name: spec.name, ns, ip: `${lan}2`, nat: spec.nat, publicIp: outside })
    }
    return lab
  } catch (err) {
    await lab.destroy()
    throw err
  }
}

/** A veth from the internet bridge to `ns` (eth0 there, with `ip`/24). */
async function plug (inet: string, ns: string, port: string, ip: string): Promise<void> {
  await sh(['ip', 'link', 'add', port, 'netns', inet, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
  await sh(inNs(inet, ['ip', 'link', 'set', port, 'master', 'br0', 'up']))
  await sh(inNs(ns, ['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']))
  await sh(inNs(ns, ['ip', 'link', 'set', 'eth0', 'up']))
}

/** A veth between a router (lan0) and its home host (eth0). */
async function link (router: string, routerIp: string, ns: string, ip: string): Promise<void> {
  await sh(['ip', 'link', 'add', 'lan0', 'netns', router, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
  await sh(inNs(router, ['ip', 'addr', 'add', `${routerIp}/24`, 'dev', 'lan0']))
  await sh(inNs(router, ['ip', 'link', 'set', 'lan0', 'up']))
  await sh(inNs(ns, ['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']))
  await sh(inNs(ns, ['ip', 'link', 'set', 'eth0', 'up']))
}
