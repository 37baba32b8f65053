// The expiry sweep: how long isocache takes to delete N expired entries, and how long the page's main
// thread is blocked at worst meanwhile.
import { openDB } from "idb"
import { Cache } from "../../src/index.ts"
import { keyOf, makeItem } from "../shared/data.ts"

export interface SweepSample {
  readonly count: number
  /** Time until `sweep()` resolved and the store holds no entry. */
  readonly ms: number
  /** The longest gap between two ticks of a setTimeout(0) loop (the timer clamp alone is ~4 ms). */
  readonly longestStallMs: number
  /**
   * The same, measured for half a second with nothing running just before: on a busy machine the page's
   * thread also waits for a core, and that is not the sweep's doing.
   */
  readonly idleStallMs: number
}

/**
 * A setTimeout(0) loop, as a page's own work would be scheduled: a gap between two ticks is time in
 * which the page could not run. (A MessageChannel loop would be finer, but it floods the task queue
 * and slows the very IndexedDB callbacks being measured.)
 */
function watchStalls(): () => number {
  let longest = 0
  let last = performance.now()
  let running = true
  const tick = (): void => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
    if (running) setTimeout(tick, 0)
  }
  setTimeout(tick, 0)
  return () => {
    running = false
    return Math.max(longest, performance.now() - last)
  }
}

const FILL_BATCH = 500
const IDLE_MS = 500

export async function runSweep(count: number, id: string): Promise<SweepSample> {
  let now = Date.now()
  const name = `sweep-${id}`
  // A fake clock makes the entries expire at once; no background sweep may run before ours.
  const cache = new Cache({ name, store: "indexeddb", clock: () => now, sweepInterval: null })
  for (let start = 0; start < count; start += FILL_BATCH) {
    const entries: Array<[string, unknown]> = []
    for (let i = start; i < Math.min(count, start + FILL_BATCH); i++) entries.push([keyOf(i), makeItem(i)])
    await cache.setMany(entries, { timeout: 60 })
  }
  now += 61_000
  ;(globalThis as { gc?: () => void }).gc?.()
  // A task of its own for the first mark: the task that ran gc() is not the idle page's.
  await new Promise((resolve) => setTimeout(resolve, 0))

  // The marks bound the windows in which the harness reads the longest task from its trace.
  performance.mark("isocache:idle-start")
  const stopIdle = watchStalls()
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
  const idleStallMs = stopIdle()
  performance.mark("isocache:idle-end")

  performance.mark("isocache:sweep-start")
  const stop = watchStalls()
  const start = performance.now()
  const removed = await cache.sweep()
  const ms = performance.now() - start
  const longestStallMs = stop()
  performance.mark("isocache:sweep-end")
  await cache.disconnect()

  const db = await openDB(`isocache:${name}`)
  const left = await db.count("entries")
  db.close()
  if (removed !== count || left !== 0) throw new Error(`sweep removed ${removed} of ${count}; ${left} left`)
  return { count, ms, longestStallMs, idleStallMs }
}
