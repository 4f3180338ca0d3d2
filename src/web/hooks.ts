import { useCallback, useEffect, useState } from 'preact/hooks'
import { op } from './api.js'

export interface Loaded<T> {
  data: T | undefined
  error: string | undefined
  loading: boolean
  reload: () => void
}

/** Run an op when the component shows (and on reload); keeps the last result while reloading. */
export function useOp<T> (name: string, params: object = {}): Loaded<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)
  const key = JSON.stringify(params)
  useEffect(() => {
    let live = true
    setLoading(true)
    op<T>(name, JSON.parse(key) as object)
      .then(d => { if (live) { setData(d); setError(undefined) } })
      .catch((e: unknown) => { if (live) setError(e instanceof Error ? e.message : String(e)) })
      .finally(() => { if (live) setLoading(false) })
    return () => { live = false }
  }, [name, key, tick])
  const reload = useCallback(() => { setTick(t => t + 1) }, [])
  return { data, error, loading, reload }
}

/** Run an action (an op that changes something), exposing its busy state, last error and result. */
export function useAction<A extends unknown[], R> (fn: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>, busy: boolean, error: string | undefined } {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true)
    setError(undefined)
    try {
      return await fn(...args)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      return undefined
    } finally {
      setBusy(false)
    }
  }
  return { run, busy, error }
}
