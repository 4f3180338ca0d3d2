import { dashboardMount } from './dashboard/mount.js'
import type { HttpMount } from './mount.js'

/** Mounts every `secondme start` serves besides the built-in doors (one import and entry each). */
export const DEFAULT_MOUNTS: readonly HttpMount[] = [dashboardMount]
