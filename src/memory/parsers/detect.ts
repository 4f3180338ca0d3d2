import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import type { SourceFormat } from '../types.js'

// Formats are recognised by what the file holds; the extension only tells Markdown from plain text
// and breaks ties. A WhatsApp export named chat.txt is a chat; a PDF named notes.txt is a PDF.

const HEAD_BYTES = 64 * 1024

export type Detection = { format: SourceFormat } | { format?: undefined, reason: string }

/** WhatsApp line starts: "12/31/23, 9:41 PM - ", "31.12.23, 21:41 - ", "[31/12/2023, 21:41:05] ". */
export const WHATSAPP_LINE = /^\u200e?\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[aApP]\.?\s*[mM]\.?)?\]?\s*(?:-\s)?/

/** Media, archives and office files: never text, whatever their first bytes look like. */
const NOT_TEXT = new Set(('png jpg jpeg gif webp heic heif bmp tiff svg ico mp3 mp4 m4a opus ogg oga wav flac aac mov avi mkv webm ' +
  'zip gz tgz bz2 xz 7z rar tar jar apk dmg iso exe dll so dylib bin db sqlite sqlite3 doc docx xls xlsx ppt pptx odt ods odp key numbers pages epub').split(' ').map(e => `.${e}`))

export async function detectFormat (path: string): Promise<Detection> {
  return detectFormatOf(await readHead(path), path)
}

/** The format of a file whose first bytes are `head` (up to 64 KiB); `path` gives the extension. */
export function detectFormatOf (head: Buffer, path: string): Detection {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { format: 'pdf' }
  const ext = extname(path).toLowerCase()
  if (NOT_TEXT.has(ext)) return { reason: `${ext} files are not supported` }
  if (isBinary(head)) return { reason: 'binary file of an unsupported type' }
  const text = head.toString('utf8').replace(/^\uFEFF/, '')
  const start = text.trimStart()
  // "[12.03.24, 21:04]" opens an iOS WhatsApp export, not a JSON array.
  if (start.startsWith('{') || /^\[\s*[{[\]"]/.test(start)) return detectJson(start)
  if (/^BEGIN:VCALENDAR\r?$/m.test(text.slice(0, 2000))) return { format: 'calendar' }
  if (/^From \S+.*\r?\n[\w-]+:/.test(start)) return { format: 'mbox' }
  if (looksLikeMail(start)) return { format: 'email' }
  if (looksLikeWhatsApp(start)) return { format: 'whatsapp' }
  if (ext === '.md' || ext === '.markdown' || /^---\r?\n[\s\S]*?\r?\n---\r?\n/.test(start)) return { format: 'markdown' }
  return { format: 'text' }
}

async function readHead (path: string): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** NUL bytes or many control characters: not text (an image, an archive, a database). */
function isBinary (head: Buffer): boolean {
  let control = 0
  for (const b of head.subarray(0, 8192)) {
    if (b === 0) return true
    if (b < 9 || (b > 13 && b < 32)) control++
  }
  return control > 32
}

/** Key names near the start tell the JSON exports apart without parsing a file of hundreds of MB. */
function detectJson (start: string): Detection {
  const has = (key: string): boolean => start.includes(`"${key}"`)
  if (has('mapping') && (has('current_node') || has('conversation_id') || has('author'))) return { format: 'chatgpt' }
  if (has('conversation') && /"session_\d+"/.test(start)) return { format: 'locomo' }
  if (has('personal_information') || (has('chats') && has('list')) || (has('messages') && (has('from_id') || has('text_entities') || has('date_unixtime')))) return { format: 'telegram' }
  if (has('messages')) return { format: 'generic' }
  if (has('mapping')) return { format: 'chatgpt' }
  if (has('conversation')) return { format: 'locomo' }
  return { reason: 'JSON that is not a ChatGPT, Telegram, LoCoMo or generic {messages:[…]} export' }
}

/** RFC 5322 headers first: at least two known header names before the first blank line, one of them From. */
function looksLikeMail (start: string): boolean {
  const headers = start.split(/\r?\n\r?\n/, 1)[0] ?? ''
  const names = new Set([...headers.matchAll(/^([A-Za-z][\w-]*):/gm)].map(m => (m[1] ?? '').toLowerCase()))
  const known = ['from', 'to', 'subject', 'date', 'message-id', 'received', 'mime-version', 'return-path', 'delivered-to', 'content-type']
  return names.has('from') && known.filter(k => names.has(k)).length >= 3
}

function looksLikeWhatsApp (start: string): boolean {
  const lines = start.split(/\r?\n/).filter(l => l.trim() !== '').slice(0, 10)
  const hits = lines.filter(l => WHATSAPP_LINE.test(l)).length
  return hits >= Math.min(2, lines.length) && hits > 0
}
