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

/** A Telegram Desktop result.json with `chats` chats of `perChat` messages each. */
export async function writeTelegram (path: string, chats: number, perChat: number, seed = 3): Promise<number> {
  const rand = prng(seed)
  const out = createWriteStream(path)
  await put(out, '{"about":"x","personal_information":{"user_id":1,"first_name":"Robin"},"chats":{"about":"x","list":[')
  let n = 0
  for (let c = 0; c < chats; c++) {
    const messages: object[] = []
    for (let m = 0; m < perChat; m++) {
      const own = rand() < 0.5
      const at = 1_700_000_000 + c * 100_000 + m * 60
      messages.push({ id: m + 1, type: 'message', date: new Date(at * 1000).toISOString().slice(0, 19), date_unixtime: String(at), from: own ? 'Robin' : `Friend ${c}`, from_id: own ? 'user1' : `user${100 + c}`, text: sentence(rand, 5 + Math.floor(rand() * 15)), text_entities: [] })
      n++
    }
    await put(out, (c === 0 ? '' : ',') + JSON.stringify({ name: `Friend ${c}`, type: 'personal_chat', id: 100 + c, messages }))
  }
  await put(out, ']}}')
  out.end()
  await once(out, 'finish')
  return n
}

/** An mbox of `count` plain-text messages, every other one a reply quoting the previous. */
export async function writeMbox (path: string, count: number, seed = 4): Promise<number> {
  const rand = prng(seed)
  const out = createWriteStream(path)
  for (let i = 0; i < count; i++) {
    const date = new Date(Date.UTC(2023, 0, 1) + i * 3_600_000)
    const body = sentence(rand, 20 + Math.floor(rand() * 40))
    const quote = i % 2 === 1 ? `\nOn ${date.toUTCString()}, Sam <sam@example.org> wrote:\n> ${sentence(rand, 15)}\n` : ''
    await put(out, `From sam@example.org ${date.toUTCString()}\nFrom: Sam <sam@example.org>\nTo: Robin <robin@example.com>\nSubject: ${i % 2 === 1 ? 'Re: ' : ''}topic ${Math.floor(i / 2)}\nDate: ${date.toUTCString()}\nMessage-ID: <m${i}@example.org>\nContent-Type: text/plain; charset=utf-8\n\n${body}\n${quote}\n`)
  }
  out.end()
  await once(out, 'finish')
  return count
}

/** An .ics with `count` single events and a few weekly recurring ones. */
export async function writeIcs (path: string, count: number, seed = 5): Promise<void> {
  const rand = prng(seed)
  const out = createWriteStream(path)
  await put(out, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n')
  const now = Date.now()
  for (let i = 0; i < count; i++) {
    const start = new Date(now - 300 * 86_400_000 + Math.floor(rand() * 600) * 86_400_000 + 9 * 3_600_000)
    const end = new Date(start.getTime() + 3_600_000)
    const fmt = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    const rule = i % 50 === 0 ? 'RRULE:FREQ=WEEKLY;COUNT=52\r\n' : ''
    await put(out, `BEGIN:VEVENT\r\nUID:e${i}@bench\r\nDTSTAMP:${fmt(start)}\r\nDTSTART:${fmt(start)}\r\nDTEND:${fmt(end)}\r\n${rule}SUMMARY:${sentence(rand, 3)}\r\nLOCATION:${sentence(rand, 2)}\r\nEND:VEVENT\r\n`)
  }
  await put(out, 'END:VCALENDAR\r\n')
  out.end()
  await once(out, 'finish')
}

/** A notes vault: `count` Markdown notes with front matter, tags and wiki links. */
export async function writeVault (dir: string, count: number, seed = 6): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises')
  const rand = prng(seed)
  await mkdir(dir, { recursive: true })
  for (let i = 0; i < count; i++) {
    const text = `---\ntags: [${sentence(rand, 2).replace(' ', ', ')}]\ncreated: 2024-0${1 + (i % 9)}-1${i % 10}\n---\n# ${sentence(rand, 3)}\n\n${sentence(rand, 30)} [[note ${i + 1}]].\n\n## more\n\n${sentence(rand, 40)} #${WORDS[i % WORDS.length] ?? 'x'}\n`
    await writeFile(`${dir}/note ${i}.md`, text)
  }
}

export function pdfPages (pages: number, seed = 7): Array<{ lines: Array<{ text: string, y: number }> }> {
  const rand = prng(seed)
  return Array.from({ length: pages }, () => {
    const lines: Array<{ text: string, y: number }> = []
    let y = 740
    for (let p = 0; p < 6; p++) {
      for (let l = 0; l < 4; l++) { lines.push({ text: sentence(rand, 10), y }); y -= 14 }
      y -= 20
    }
    return { lines }
  })
}
