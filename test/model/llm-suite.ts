import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSecondMeError } from '../../src/errors.js'
import type { ChatPrompt, Llm } from '../../src/model/llm.js'

const PROMPT: ChatPrompt = { system: 'You are a storyteller. Canary: zebra-417.', turns: [{ role: 'user', text: 'Tell me about the little dog.' }] }
const SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false
}

async function codeOf (promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (err) {
    return isSecondMeError(err) ? err.code : `non-secondme: ${String(err)}`
  }
}

/**
 * The suite every Llm backend passes (abstract-level style): each declared capability must work,
 * each missing one must fail with E_NO_MODEL. `make` returns a fresh backend; the suite closes it.
 */
export function llmSuite (name: string, make: () => Promise<Llm>): void {
  describe.sequential(`Llm backend: ${name}`, () => {
    let llm: Llm
    beforeAll(async () => { llm = await make() })
    afterAll(async () => { await llm.close() })

    it('describes itself', () => {
      expect(llm.info.id).not.toBe('')
      expect(llm.info.name).not.toBe('')
      expect(typeof llm.capabilities.generate).toBe('boolean')
    })

    it('generates (or refuses with E_NO_MODEL) and records the exact prompt it sent', async () => {
      if (!llm.capabilities.generate) {
        expect(await codeOf(llm.generate(PROMPT))).toBe('E_NO_MODEL')
        return
      }
      const chunks: string[] = []
      const result = await llm.generate(PROMPT, { maxTokens: 12, onText: (c) => chunks.push(c) })
      expect(result.tokens).toBeGreaterThan(0)
      expect(result.text.length).toBeGreaterThan(0)
      expect(chunks.join('')).toBe(result.text)
      expect(llm.lastPrompt).toContain('zebra-417')
      expect(llm.lastPrompt).toContain('Tell me about the little dog.')
      expect(llm.info.chatTemplate).not.toBe('unresolved')
    })

    it('streams the same text as generate (greedy decoding is deterministic)', async () => {
      if (!llm.capabilities.generate) {
        const iterate = async (): Promise<void> => { for await (const _ of llm.stream(PROMPT)) { /* nothing */ } }
        expect(await codeOf(iterate())).toBe('E_NO_MODEL')
        return
      }
      const full = await llm.generate(PROMPT, { maxTokens: 12 })
      let streamed = ''
      for await (const chunk of llm.stream(PROMPT, { maxTokens: 12 })) streamed += chunk
      expect(streamed).toBe(full.text)
    })

    it('stops when aborted', async () => {
      if (!llm.capabilities.generate) return
      const controller = new AbortController()
      controller.abort()
      await expect(llm.generate(PROMPT, { maxTokens: 12, signal: controller.signal })).rejects.toThrow()
    })

    it('returns structured output that validates against the JSON Schema', async () => {
      if (!llm.capabilities.structured) {
        expect(await codeOf(llm.structured(PROMPT, SCHEMA))).toBe('E_NO_MODEL')
        return
      }
      const value = await llm.structured({ system: 'Answer in JSON.', turns: [{ role: 'user', text: 'Who is the dog?' }] }, SCHEMA, { maxTokens: 200 })
      const validate = new Ajv().compile(SCHEMA)
      expect(validate(value)).toBe(true)
    })

    it('says how much of its context a prompt leaves (less for a longer prompt, negative past the context)', async () => {
      if (llm.promptRoom === undefined) return
      const short = await llm.promptRoom(PROMPT)
      const longer = await llm.promptRoom({ ...PROMPT, system: `${PROMPT.system}\n${'The little dog ran to the park. '.repeat(20)}` })
      expect(short).toBeGreaterThan(0)
      expect(longer).toBeLessThan(short)
      expect(await llm.promptRoom({ ...PROMPT, system: 'dog '.repeat(20_000) })).toBeLessThan(0)
    })

    it('embeds text into unit vectors of its dimension', async () => {
      if (!llm.capabilities.embed) {
        expect(await codeOf(llm.embedder())).toBe('E_NO_MODEL')
        return
      }
      const embedder = await llm.embedder()
      const [a, b, c] = await embedder.embed(['the cat sat', 'the cat sat', 'a rocket to mars'])
      expect(a?.length).toBe(embedder.dimension)
      let norm = 0
      for (const x of a ?? []) norm += x * x
      expect(norm).toBeCloseTo(1, 3)
      expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []))
      expect(Array.from(a ?? [])).not.toEqual(Array.from(c ?? []))
      expect(embedder.id).toContain(String(embedder.dimension))
      await embedder.close()
    })

    it('refuses calls after close', async () => {
      await llm.close()
      if (llm.capabilities.generate) expect(await codeOf(llm.generate(PROMPT))).toBe('E_CLOSED')
      else expect(await codeOf(llm.generate(PROMPT))).toBe('E_NO_MODEL')
    })
  })
}
