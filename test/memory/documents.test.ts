import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.js'
import { writePdf } from '../fixtures/pdf-writer.js'
import { freshNode } from './helpers.js'
import { SOURCES, parsePath } from './sources.js'

describe('documents: PDF', () => {
  it('reads the text layer: one memory per paragraph, with its page number', async () => {
    await using tmp = await tempDir('secondme-pdf-')
    const path = join(tmp.path, 'lease.pdf')
    await writeFile(path, writePdf([
      { lines: [{ text: 'Tenancy agreement for 4 Mill Lane.', y: 720 }, { text: 'The rent is 950 pounds a month,', y: 700 }, { text: 'paid on the first day.', y: 686 }, { text: 'Pets are allowed with consent.', y: 640 }] },
      { lines: [{ text: 'The lease ends on 31 August 2025.', y: 720 }] }
    ]))
    const { format, items } = await parsePath(path)
    expect(format).toBe('pdf')
    expect(items.map(i => [i.extra, i.text])).toEqual([
      ['page 1', 'Tenancy agreement for 4 Mill Lane. The rent is 950 pounds a month, paid on the first day.'],
      ['page 1', 'Pets are allowed with consent.'],
      ['page 2', 'The lease ends on 31 August 2025.']
    ])
  })

  it('says clearly that a scanned PDF has no text layer', async () => {
    await using tmp = await tempDir('secondme-pdf-')
    const path = join(tmp.path, 'scan.pdf')
    await writeFile(path, writePdf([{ image: true }]))
    await expect(parsePath(path)).rejects.toMatchObject({ code: 'E_NO_TEXT', message: expect.stringContaining('no text layer') })
  })
})

describe('documents: a notes vault', () => {
  it('reads front matter, tags as topics, wiki links as text, and leaves the app folder out', async () => {
    const { format, items } = await parsePath(join(SOURCES, 'vault', 'Climbing.md'))
    expect(format).toBe('markdown')
    expect(items.map(i => [i.extra, i.text])).toEqual([
      ['Gear', 'I bought La Sportiva shoes in size 42, see my list.'],
      ['Goals', 'Climb a 6a at Elm Street gym before the summer. #goals']
    ])
    expect(items[0]).toMatchObject({ time: '2024-04-03T00:00:00.000Z', topics: ['sport', 'climbing bouldering', 'goals'], thread: 'Climbing/section-1' })
  })

  it('ingests a vault folder: every note, none of .obsidian', async () => {
    await using node = await freshNode()
    const result = await node.me.memory.ingest([join(SOURCES, 'vault')])
    expect(result.reports.map(r => r.path.slice(join(SOURCES, 'vault').length + 1)).sort()).toEqual(['Climbing.md', join('Daily', '2024-05-14.md')])
    const climbing = node.me.memory.list().find(i => i.text.includes('La Sportiva'))
    expect(climbing?.topics).toEqual(expect.arrayContaining(['sport', 'goals']))
  })
})
