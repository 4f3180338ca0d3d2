// Topics by meaning: memories grouped by their embeddings with average-linkage agglomerative
// clustering (cosine), then each group named by its most distinctive noun phrase. Groups form
// while the two closest groups are at least `similarity` alike on average; tiny groups are not topics.

export interface ClusterParams {
  /** Merge two groups while their average cosine similarity is at least this. */
  similarity: number
  /** A group with fewer members is no topic. */
  minSize: number
  /** At most this many items are clustered (the most recent), to bound the quadratic cost. */
  maxItems: number
}

/**
 * Calibrated by scripts/calibrate-clusters.ts on test/fixtures/topics.json (USE-lite embeddings):
 * at 0.6, 19 groups for the 14 labelled topics, purity 0.767, 78% of labelled memories in a group;
 * 0.55 covers more (92%) but joins near themes (pottery with baking) and purity falls to 0.725.
 */
export const CLUSTER_PARAMS: ClusterParams = { similarity: 0.6, minSize: 3, maxItems: 1000 }

/** Groups of indexes into `vectors` (unit length), largest first. */
export function clusterVectors (vectors: readonly Float32Array[], params: ClusterParams = CLUSTER_PARAMS): number[][] {
  const n = vectors.length
  const sim = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = dot(vectors[i], vectors[j])
  const members: Array<number[] | undefined> = Array.from({ length: n }, (_, i) => [i])
  // Each group's closest other group, kept up to date, so a merge costs O(n) instead of a full scan.
  const near = new Int32Array(n).fill(-1)
  const nearSim = new Float64Array(n).fill(-Infinity)
  const rescan = (i: number): void => {
    near[i] = -1; nearSim[i] = -Infinity
    for (let j = 0; j < n; j++) if (j !== i && members[j] !== undefined && (sim[i * n + j] ?? 0) > (nearSim[i] ?? 0)) { near[i] = j; nearSim[i] = sim[i * n + j] ?? 0 }
  }
  for (let i = 0; i < n; i++) rescan(i)
  for (;;) {
    let a = -1
    for (let i = 0; i < n; i++) if (members[i] !== undefined && near[i] !== -1 && (a < 0 || (nearSim[i] ?? 0) > (nearSim[a] ?? 0))) a = i
    if (a < 0 || (nearSim[a] ?? 0) < params.similarity) break
    const b = near[a] ?? -1
    merge(sim, members, n, a, b)
    rescan(a)
    for (let k = 0; k < n; k++) {
      if (k === a || members[k] === undefined) continue
      if (near[k] === a || near[k] === b) rescan(k)
      else if ((sim[k * n + a] ?? 0) > (nearSim[k] ?? 0)) { near[k] = a; nearSim[k] = sim[k * n + a] ?? 0 }
    }
  }
  return members.flatMap(m => m !== undefined && m.length >= params.minSize ? [m] : []).sort((x, y) => y.length - x.length)
}

/** Lance–Williams update for average linkage: group b joins group a. */
function merge (sim: Float64Array, members: Array<number[] | undefined>, n: number, a: number, b: number): void {
  const ma = members[a] ?? []; const mb = members[b] ?? []
  for (let k = 0; k < n; k++) {
    if (k === a || k === b || members[k] === undefined) continue
    const s = ((sim[a * n + k] ?? 0) * ma.length + (sim[b * n + k] ?? 0) * mb.length) / (ma.length + mb.length)
    sim[a * n + k] = sim[k * n + a] = s
  }
  members[a] = [...ma, ...mb]
  members[b] = undefined
}

function dot (a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (a === undefined || b === undefined) return 0
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0)
  return s
}

export interface TopicCluster {
  label: string
  count: number
  /** Member ids, oldest first. */
  items: string[]
}

/**
 * Topics by meaning over items that have embeddings (the most recent `maxItems`): each group named
 * by its most distinctive noun phrase against the whole memory (`label`), a name used once.
 */
export function topicClusters<T extends { id: string, text: string }> (items: readonly T[], vectorOf: (id: string) => Float32Array | undefined, label: (texts: string[]) => string[], params: ClusterParams = CLUSTER_PARAMS): TopicCluster[] {
  const embedded = items.flatMap(i => { const v = vectorOf(i.id); return v === undefined ? [] : [{ item: i, v }] }).slice(-params.maxItems)
  const used = new Set<string>()
  const out: TopicCluster[] = []
  for (const group of clusterVectors(embedded.map(e => e.v), params)) {
    const members = group.sort((a, b) => a - b).flatMap(i => embedded[i]?.item ?? [])
    const name = label(members.map(m => m.text)).find(l => !used.has(l))
    if (name === undefined) continue
    used.add(name)
    out.push({ label: name, count: members.length, items: members.map(m => m.id) })
  }
  return out
}
