import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'

// Synthetic exports in the real shapes, written as streams so a several-hundred-MB file never sits
// in this process's memory (the benchmark measures the ingesting process, not the generator).

const WORDS = ('knee rest physio weeks running marathon training plan recipe pasta garden tomato budget travel lisbon ' +
  'flight hotel meeting project deadline report python script error database index query music guitar lesson ' +
  'birthday party gift sister brother doctor appointment morning evening weekend coffee book novel chapter').split(' ')

function sentence (rand: () => number, n: number): string {
  const w: string[] = []
  for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(rand() * WORDS.length)] ?? 'word')
  return w.join(' ')
}

export function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function put (out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain')
}

function node (id: string, parent: string | null, children: string[], role: string, text: string, at: number, hidden = false): object {
  return {
    id,
    message: {
      id, author: { role, name: null, metadata: {} }, create_time: at, update_time: null,
      content: { content_type: 'text', parts: [text] }, status: 'finished_successfully', end_turn: role === 'assistant' ? true : null,
      weight: 1.0, metadata: { is_visually_hidden_from_conversation: hidden, request_id: `req-${id}`, message_type: null, model_slug: 'gpt-4o', default_model_slug: 'gpt-4o', parent_id: parent, finish_details: { type: 'stop', stop_tokens: [200002] }, citations: [], content_references: [] },
      recipient: 'all', channel: null
    },
    parent, children
  }
}

/** One conversation: a hidden system root, then user/assistant turns along the live branch. */
function conversation (c: number, turns: number, rand: () => number): { json: string, live: number } {
  const mapping: Record<string, object> = {}
  const base = 1_600_000_000 + c * 3600
  const root = `c${c}-root`
  let parent = root
  const ids: string[] = []
  for (let t = 0; t < turns; t++) ids.push(`c${c}-m${t}`)
  mapping[root] = node(root, null, [ids[0] ?? ''], 'system', '', base, true)
  ids.forEach((id, t) => {
    const role = t % 2 === 0 ? 'user' : 'assistant'
    const text = role === 'user' ? sentence(rand, 12 + Math.floor(rand() * 20)) : sentence(rand, 60 + Math.floor(rand() * 120))
    mapping[id] = node(id, parent, t + 1 < ids.length ? [ids[t + 1] ?? ''] : [], role, text, base + t * 30)
    parent = id
  })
  const json = JSON.stringify({
    title: `conversation ${c} ${sentence(rand, 3)}`, create_time: base, update_time: base + turns * 30, mapping,
    moderation_results: [], current_node: parent, plugin_ids: null, conversation_id: `conv-${c}`,
    conversation_template_id: null, gizmo_id: null, is_archived: false, safe_urls: [], default_model_slug: 'gpt-4o', id: `conv-${c}`
  })
  return { json, live: turns }
}

/** A conversations.json of at least `bytes` bytes; returns the number of live turns written. */
export async function writeChatGpt (path: string, bytes: number, seed = 1): Promise<number> {
  const rand = prng(seed)
  const out = createWriteStream(path)
  let written = 0
  let live = 0
  let c = 0
  await put(out, '[')
  while (written < bytes) {
    const conv = conversation(c, 10 + Math.floor(rand() * 30), rand)
    const chunk = (c === 0 ? '' : ',') + conv.json
    await put(out, chunk)
    written += chunk.length
    live += conv.live
    c++
  }
  await put(out, ']')
  out.end()
  await once(out, 'finish')
  return live
}

/** An Android-style WhatsApp export of `lines` messages (some multi-line, some media, system lines). */
export async function writeWhatsApp (path: string, lines: number, seed = 2): Promise<number> {
  const rand = prng(seed)
  const out = createWriteStream(path)
  const people = ['Alex Doe', 'Sam Roe']
  let messages = 0
  let at = Date.UTC(2022, 0, 1, 9, 0)
  for (let i = 0; i < lines; i++) {
    at += Math.floor(rand() * 600_000)
    const d = new Date(at)
    const stamp = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
    const r = rand()
    let line: string
    if (r < 0.01) line = `${stamp} - ${people[0] ?? ''} changed the subject to "plans"`
    else if (r < 0.03) line = `${stamp} - ${people[Math.floor(rand() * 2)] ?? ''}: <Media omitted>`
    else {
      line = `${stamp} - ${people[Math.floor(rand() * 2)] ?? ''}: ${sentence(rand, 4 + Math.floor(rand() * 14))}`
      if (r > 0.95) { line += `\n${sentence(rand, 6)}`; i++ }
      messages++
    }
    await put(out, line + '\n')
  }
  out.end()
  await once(out, 'finish')
  return messages
}

function pad (n: number): string {
  return String(n).padStart(2, '0')
}
