// Tiny SVG chart writers for the self-contained HTML report: no library, no network.

export interface Series { name: string, points: Array<[number, number]>, color: string }

const W = 560
const H = 220
const PAD = { left: 52, right: 12, top: 14, bottom: 34 }

export function escapeXml (text: string): string {
  return text.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

function fmt (v: number): string {
  if (Math.abs(v) >= 1000) return `${Math.round(v / 100) / 10}k`
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 2 : 1)
}

function frame (xLabel: string, yLabel: string, x: [number, number], y: [number, number], body: string): string {
  const iw = W - PAD.left - PAD.right
  const ih = H - PAD.top - PAD.bottom
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  const yTicks = ticks.map(t => {
    const py = PAD.top + ih - t * ih
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py}" y2="${py}" stroke="#eee"/><text x="${PAD.left - 6}" y="${py + 4}" text-anchor="end">${fmt(y[0] + t * (y[1] - y[0]))}</text>`
  }).join('')
  const xTicks = ticks.map(t => `<text x="${PAD.left + t * iw}" y="${H - PAD.bottom + 16}" text-anchor="middle">${fmt(x[0] + t * (x[1] - x[0]))}</text>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11">` +
    `${yTicks}${xTicks}<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + ih}" stroke="#888"/>` +
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + ih}" y2="${PAD.top + ih}" stroke="#888"/>` +
    `<text x="${PAD.left + iw / 2}" y="${H - 4}" text-anchor="middle">${escapeXml(xLabel)}</text>` +
    `<text transform="translate(12 ${PAD.top + ih / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>${body}</svg>`
}

function scaler (domain: [number, number], range: [number, number]): (v: number) => number {
  const span = domain[1] - domain[0] || 1
  return v => range[0] + (v - domain[0]) / span * (range[1] - range[0])
}

export function lineChart (series: Series[], labels: { x: string, y: string, yMin?: number, yMax?: number }): string {
  const all = series.flatMap(s => s.points)
  const x: [number, number] = [Math.min(0, ...all.map(p => p[0])), Math.max(1, ...all.map(p => p[0]))]
  const y: [number, number] = [labels.yMin ?? Math.min(0, ...all.map(p => p[1])), labels.yMax ?? Math.max(1, ...all.map(p => p[1])) * 1.05]
  const sx = scaler(x, [PAD.left, W - PAD.right])
  const sy = scaler(y, [H - PAD.bottom, PAD.top])
  const body = series.map((s, i) => {
    const d = s.points.map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${sx(px).toFixed(1)},${sy(py).toFixed(1)}`).join('')
    const dots = s.points.length <= 60 ? s.points.map(([px, py]) => `<circle cx="${sx(px).toFixed(1)}" cy="${sy(py).toFixed(1)}" r="2.5" fill="${s.color}"/>`).join('') : ''
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}<text x="${W - PAD.right - 4}" y="${PAD.top + 12 + i * 14}" text-anchor="end" fill="${s.color}">${escapeXml(s.name)}</text>`
  }).join('')
  return frame(labels.x, labels.y, x, y, body)
}

export function barChart (bars: Array<{ label: string, value: number, color?: string }>, labels: { y: string }): string {
  const max = Math.max(1, ...bars.map(b => b.value)) * 1.1
  const iw = W - PAD.left - PAD.right
  const slot = iw / Math.max(1, bars.length)
  const sy = scaler([0, max], [H - PAD.bottom, PAD.top])
  const body = bars.map((b, i) => {
    const x = PAD.left + i * slot + slot * 0.15
    const top = sy(b.value)
    return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(H - PAD.bottom - top).toFixed(1)}" fill="${b.color ?? '#4a78c2'}"/>` +
      `<text x="${(x + slot * 0.35).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle">${fmt(b.value)}</text>` +
      `<text x="${(x + slot * 0.35).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${escapeXml(b.label)}</text>`
  }).join('')
  return frame('', labels.y, [0, 0], [0, max], body).replace(/<text x="[^"]+" y="[^"]+" text-anchor="middle">0<\/text>/g, '')
}

/** Histogram of `values` in `bins` equal-width bins. */
export function histogram (values: readonly number[], labels: { x: string, bins?: number }): string {
  const bins = labels.bins ?? 20
  const max = Math.max(1, ...values)
  const width = max / bins
  const counts = Array.from({ length: bins }, () => 0)
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]! += 1
  const top = Math.max(1, ...counts) * 1.1
  const sx = scaler([0, max], [PAD.left, W - PAD.right])
  const sy = scaler([0, top], [H - PAD.bottom, PAD.top])
  const body = counts.map((c, i) => `<rect x="${sx(i * width).toFixed(1)}" y="${sy(c).toFixed(1)}" width="${Math.max(1, sx(width) - sx(0) - 1).toFixed(1)}" height="${(H - PAD.bottom - sy(c)).toFixed(1)}" fill="#5b9b5b"/>`).join('')
  return frame(labels.x, 'lookups', [0, max], [0, top], body)
}
