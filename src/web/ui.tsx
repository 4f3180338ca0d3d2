import type { ComponentChildren } from 'preact'

export interface PageProps { query: URLSearchParams }

export function Problem ({ error }: { error: string | undefined }) {
  return error === undefined ? null : <p role="alert" class="error">{error}</p>
}

export function Busy ({ when, label = 'Loading…' }: { when: boolean, label?: string }) {
  return when ? <p class="loading" role="status">{label}</p> : null
}

export function Card ({ title, children, id }: { title: string, children: ComponentChildren, id?: string }) {
  const hid = `h-${id ?? title.toLowerCase().replace(/\W+/g, '-')}`
  return (
    <section class="card" aria-labelledby={hid}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  )
}

export function when (iso: string | number | undefined): string {
  if (iso === undefined) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().slice(0, 16).replace('T', ' ')
}

export function short (id: string, n = 12): string {
  return id.length <= n ? id : `${id.slice(0, n)}…`
}

export function bytes (n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 ** 2).toFixed(1)} MiB`
}

/** A link that opens one memory on the Memories page. */
export function MemoryLink ({ id, children }: { id: string, children?: ComponentChildren }) {
  return <a href={`#/memories?id=${encodeURIComponent(id)}`}>{children ?? short(id)}</a>
}
