import { describe, expect, it } from 'vitest'
import { openGgufEmbedder } from '../../src/model/gguf-embedder.js'
import { STORIES } from './models-path.js'

describe('GGUF embedder from a file', () => {
  it('embeds with the dimension read from the header, deterministically, and refuses after close', async () => {
    const embedder = await openGgufEmbedder(STORIES, { threads: 1, contextSize: 128, gpu: false })
    expect(embedder.dimension).toBe(64)
    expect(embedder.id).toBe('gguf:270cba1bd5109f42/64')
    const [a, b] = await embedder.embed(['a little dog', 'a little dog'])
    expect(a?.length).toBe(64)
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []))
    await embedder.close()
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'E_CLOSED' })
  })
})
