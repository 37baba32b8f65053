// A steady load on one cache while a fault strikes (a server restarted, a master killed): what every
// call gave, to check that each one either succeeded or failed with a typed error, that no pair
// written by one setMany was ever read torn, and that the cache works again after the fault.
import { type Cache, CacheError } from "../../src/index.js"

/** What a load run saw. */
export interface LoadRun {
  /** `incr` calls that succeeded, and those that failed (either may have been applied). */
  readonly incr: { readonly acked: number; readonly failed: number }
  /** Calls that succeeded, before the fault struck and after it was over. */
  readonly succeeded: { readonly before: number; readonly after: number }
  /** Every failure, as it was thrown. */
  readonly errors: readonly unknown[]
  /** Reads of a pair that found its two halves apart (one setMany wrote both). */
  readonly torn: readonly string[]
  /** Calls that had not settled 15 s after they were made. */
  readonly hung: number
  /** How long after the fault's end the first call succeeded, in ms. */
  readonly recoveredAfter: number | null
}

/** The keys of pair `k`. */
const pair = (k: number): [string, string] => [`a${k}`, `b${k}`]
const PAIRS = 20
const WORKERS = 8
const HANG = 15_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `WORKERS` loops of `incr("counter")`, `setMany` of a pair and `getMany` of a pair on `cache`
 * for `warmUp` ms, then `fault()`, then until a call has succeeded `settle` ms after the fault's end
 * (or `deadline` ms have passed since it).
 * @returns what the calls gave
 */
export async function underLoad(
  cache: Cache,
  fault: () => Promise<void>,
  { warmUp = 300, settle = 500, deadline = 30_000 } = {},
): Promise<LoadRun> {
  let phase: "before" | "fault" | "after" = "before"
  let faultEnded = 0
  let firstAfter: number | null = null
  let stop = false
  let hung = 0
  const errors: unknown[] = []
  const torn: string[] = []
  const incr = { acked: 0, failed: 0 }
  const succeeded = { before: 0, after: 0 }
  let serial = 0

  const call = async (run: () => Promise<unknown>): Promise<boolean> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const watchdog = new Promise<"hung">((resolve) => {
      timer = setTimeout(() => resolve("hung"), HANG)
    })
    const started = phase
    try {
      const outcome = await Promise.race([run().then(() => "ok" as const), watchdog])
      if (outcome === "hung") {
        hung++
        return false
      }
      if (started === "before") succeeded.before++
      if (started === "after") {
        succeeded.after++
        firstAfter ??= Date.now()
      }
      return true
    } catch (error) {
      errors.push(error)
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  const worker = async (id: number): Promise<void> => {
    for (let i = id; !stop; i += WORKERS) {
      const k = i % PAIRS
      const [a, b] = pair(k)
      let ok: boolean
      if (i % 3 === 0) {
        ok = await call(() => cache.incr("counter"))
        if (ok) incr.acked++
        else incr.failed++
      } else if (i % 3 === 1) {
        const value = ++serial
        ok = await call(() => cache.setMany({ [a]: value, [b]: value }))
      } else {
        ok = await call(async () => {
          const found = await cache.getMany([a, b])
          if (found[a] !== found[b]) torn.push(`${a}=${String(found[a])} ${b}=${String(found[b])}`)
        })
      }
      // A failing call fails at once while Redis is away: no need to spin.
      if (!ok) await sleep(5)
    }
  }

  const workers = Array.from({ length: WORKERS }, (_, id) => worker(id))
  await sleep(warmUp)
  phase = "fault"
  await fault()
  phase = "after"
  faultEnded = Date.now()
  while (Date.now() - faultEnded < deadline && (firstAfter === null || Date.now() - firstAfter < settle)) {
    await sleep(20)
  }
  stop = true
  await Promise.all(workers)
  return {
    incr,
    succeeded,
    errors,
    torn,
    hung,
    recoveredAfter: firstAfter === null ? null : firstAfter - faultEnded,
  }
}

/** The final check: every pair reads whole. */
export async function tornPairs(cache: Cache): Promise<string[]> {
  const keys = Array.from({ length: PAIRS }, (_, k) => pair(k)).flat()
  const found = await cache.getMany(keys)
  return Array.from({ length: PAIRS }, (_, k) => pair(k)).flatMap(([a, b]) =>
    found[a] === found[b] ? [] : [`${a}=${String(found[a])} ${b}=${String(found[b])}`],
  )
}

/** The names of the errors that are not the library's typed errors. */
export const untyped = (errors: readonly unknown[]): string[] =>
  errors.flatMap((error) => (error instanceof CacheError ? [] : [String(error)]))

/** How many errors of each class name. */
export const errorNames = (errors: readonly unknown[]): Record<string, number> => {
  const names: Record<string, number> = {}
  for (const error of errors) {
    const name = error instanceof Error ? error.name : typeof error
    names[name] = (names[name] ?? 0) + 1
  }
  return names
}
