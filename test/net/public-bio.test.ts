import { describe, expect, it } from 'vitest'
import { SecondMe } from '../../src/node.js'
import { reopenWithNet } from '../helpers/net-config.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'

describe('the profile announces a bio built from public facts', () => {
  it('states public facts only; a fact made private leaves the announced bio at once', async () => {
    await using tmp = await tempDir()
    let alex = await SecondMe.init({ home: `${tmp.path}/alex`, passphrase: 'pw', displayName: 'Alex', kdf: TEST_KDF, memory: { embedder: null } })
    const time = '2023-05-08T10:00:00.000Z'
    const lisbon = await alex.memory.addText('I moved to Lisbon in 2020 and I work as a marine biologist at the aquarium.', { speaker: 'Alex', visibility: 'public', time })
    await alex.memory.addText('I was diagnosed with diabetes last year and I keep it quiet at work.', { speaker: 'Alex', visibility: 'private', time })
    await alex.memory.addText('I am planning to propose to Sam in Porto next spring.', { speaker: 'Alex', visibility: 'shareable', time })
    alex = await reopenWithNet(alex, { bio: 'Alex, written by hand.' })
    await alex.start({ transport: 'memory', listen: [`/memory/sm-bio-${process.pid}`], simulation: true })
    try {
      const bio = (await alex.net!.ownProfile()).profile.bio
      expect(bio).toContain('Alex')
      expect(bio).toContain('Lisbon')
      expect(bio).not.toMatch(/diabetes|propose|Porto/)
      // Owner-side, the full bio still has every fact.
      expect(alex.memory.bio().summary).toMatch(/diabetes/)
      await alex.memory.setVisibility(lisbon.id, 'private')
      // No public fact left: the configured bio is announced, nothing of the now-private fact.
      expect((await alex.net!.ownProfile()).profile.bio).toBe('Alex, written by hand.')
    } finally {
      await alex.close()
    }
  })
})
