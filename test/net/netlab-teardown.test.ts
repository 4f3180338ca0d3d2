import { execFileSync, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createLab, labUnavailable, sweepStaleLabs } from '../../scripts/netlab/lab.js'

// The NAT lab leaves nothing behind: not when building it fails, not processes still running in it,
// not the namespaces of a run that was killed before it could tear down.

const why = await labUnavailable()
if (why !== undefined) console.warn(`NAT lab teardown tests skipped: ${why}`)

function namespaces (): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map(l => l.split(' ')[0] ?? '').filter(n => n !== '')
}

describe.skipIf(why !== undefined)('NAT lab teardown', () => {
  it('a lab that fails while being built removes what it had made', async () => {
    await expect(createLab([{ name: 'twin', nat: 'cone' }, { name: 'twin' }])).rejects.toThrow(/netlab/)
    expect(namespaces().filter(n => n.includes(`p${process.pid}-`))).toEqual([])
  })

  it('destroy ends the processes left in the lab and removes its namespaces', async () => {
    const lab = await createLab([{ name: 'home', nat: 'cone' }])
    const child = lab.spawn('home', ['sleep', '600'])
    const exited = once(child, 'exit')
    expect(namespaces().filter(n => n.startsWith(`sm${lab.id}-`))).toHaveLength(3)
    await lab.destroy()
    const [, signal] = await exited
    expect(signal).toBe('SIGKILL')
    expect(namespaces().filter(n => n.startsWith(`sm${lab.id}-`))).toEqual([])
  })

  it('the namespaces of a run whose process is gone are swept', () => {
    const dead = spawnSync('true').pid
    const ns = `smabcdefp${dead}-left`
    execFileSync('ip', ['netns', 'add', ns])
    try {
      expect(sweepStaleLabs()).toContain(ns)
      expect(namespaces()).not.toContain(ns)
    } finally {
      spawnSync('ip', ['netns', 'del', ns])
    }
  })
})
