import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

interface Props<T> {
  items: T[]
  rowHeight: number
  label: string
  render: (item: T, index: number) => ComponentChildren
  keyOf: (item: T) => string
}

const OVERSCAN = 6

/**
 * Only the rows in view (plus a few) are in the DOM, so 10k+ memories scroll and filter without
 * building 10k nodes. Rows have a fixed height; positions come from the index.
 */
export function VirtualList<T> ({ items, rowHeight, label, render, keyOf }: Props<T>) {
  const box = useRef<HTMLDivElement>(null)
  const [top, setTop] = useState(0)
  const [height, setHeight] = useState(600)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    setHeight(el.clientHeight)
    const ro = new ResizeObserver(() => { setHeight(el.clientHeight) })
    ro.observe(el)
    return () => { ro.disconnect() }
  }, [])
  useEffect(() => {
    // A new list (search, filter) starts at the top.
    if (box.current !== null) box.current.scrollTop = 0
    setTop(0)
  }, [items])
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN)
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN)
  const rows = []
  for (let i = first; i < last; i++) {
    const item = items[i] as T
    rows.push(
      <li key={keyOf(item)} class="vrow" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }} aria-setsize={items.length} aria-posinset={i + 1}>
        {render(item, i)}
      </li>
    )
  }
  return (
    <div class="vlist" ref={box} onScroll={(e) => { setTop((e.currentTarget as HTMLDivElement).scrollTop) }}>
      <ul aria-label={label} style={{ height: `${items.length * rowHeight}px` }}>{rows}</ul>
    </div>
  )
}
