import { useState } from 'preact/hooks'
import { csrfToken, op } from '../api.js'
import { useAction } from '../hooks.js'
import { VISIBILITIES } from '../types.js'
import { Card, Problem } from '../ui.js'

/** Send one file to the node's upload route, reporting bytes sent; resolves with the ingest result. */
function upload (file: File, onProgress: (sent: number) => void): Promise<{ added: number, skipped: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `/dashboard/upload?name=${encodeURIComponent(file.name)}`)
    xhr.setRequestHeader('x-csrf-token', csrfToken())
    xhr.upload.onprogress = (e) => { onProgress(e.loaded) }
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as { added?: number, skipped?: number, error?: { message: string } }
      if (xhr.status === 200) resolve({ added: body.added ?? 0, skipped: body.skipped ?? 0 })
      else reject(new Error(body.error?.message ?? `upload failed (${xhr.status})`))
    }
    xhr.onerror = () => { reject(new Error('upload failed')) }
    xhr.send(file)
  })
}

export function AddMemory ({ onAdded }: { onAdded: () => void }) {
  const [sent, setSent] = useState({ done: 0, total: 0, note: '' })
  const add = useAction(async (form: HTMLFormElement) => {
    const f = new FormData(form)
    const speaker = String(f.get('speaker') ?? '').trim()
    await op('remember', { text: String(f.get('text')), visibility: f.get('visibility'), ...(speaker === '' ? {} : { speaker }) })
    form.reset()
    onAdded()
  })
  const send = useAction(async (files: File[]) => {
    const total = files.reduce((n, f) => n + f.size, 0)
    let before = 0
    let added = 0
    for (const file of files) {
      const r = await upload(file, (n) => { setSent({ done: before + n, total, note: `sending ${file.name}` }) })
      before += file.size
      added += r.added
      setSent({ done: before, total, note: `${file.name}: ${r.added} added, ${r.skipped} already known` })
    }
    setSent(s => ({ ...s, note: `${files.length} file(s) ingested, ${added} memories added` }))
    onAdded()
  })
  return (
    <Card title="Add memories" id="add">
      <form onSubmit={(e) => { e.preventDefault(); void add.run(e.currentTarget) }}>
        <label for="add-text">Text</label>
        <textarea id="add-text" name="text" required rows={3} />
        <div class="row">
          <label for="add-speaker">Speaker</label>
          <input id="add-speaker" name="speaker" />
          <label for="add-vis">Visibility</label>
          <select id="add-vis" name="visibility">{VISIBILITIES.map(v => <option key={v} value={v}>{v}</option>)}</select>
          <button type="submit" disabled={add.busy}>Remember</button>
        </div>
      </form>
      <Problem error={add.error} />
      <div class="row">
        <label for="upload">Upload files to ingest</label>
        <input id="upload" type="file" multiple disabled={send.busy} onChange={(e) => { const fs = (e.target as HTMLInputElement).files; if (fs !== null && fs.length > 0) void send.run([...fs]) }} />
      </div>
      {sent.total > 0 && <progress max={sent.total} value={sent.done} aria-label="Upload progress" />}
      {sent.note !== '' && <p role="status">{sent.note}</p>}
      <Problem error={send.error} />
    </Card>
  )
}
