// Workloads of the cross-tab tests (changes, one factory call per origin, one sweeper): each runs in
// a tab of its own, opened by the runInNewTab command, and returns JSON-serialisable figures.
import { Cache, type ChangeEvent, createIndexedDBStore, type Store } from "../../src/index.js"

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `done()` holds, checking every 10 ms, for at most `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await done()) return true
    await sleep(10)
  }
  return false
}

/** Every participant marks itself ready, then waits for the others (through the cache itself). */
export async function barrier(cache: Cache, tab: number, tabs: number, step: string): Promise<void> {
  await cache.set(`${step}:${tab}`, true, { version: "barrier" })
  const all = Array.from({ length: tabs }, (_, i) => `${step}:${i}`)
  const arrived = await until(async () => Object.keys(await cache.getMany(all, { version: "barrier" })).length === tabs)
  if (!arrived) throw new Error(`tab ${tab}: the other tabs never reached "${step}"`)
}

/** Hides the Web Locks API from this page, as in browsers without it. */
export function hideLocks(): void {
  Object.defineProperty(navigator, "locks", { value: undefined, configurable: true })
}

/**
 * Subscribes, waits for every tab, then makes `writes` committed writes (set, setMany, incr, delete,
 * clear not included) and as many failed or no-op calls; then waits until it has received every
 * tab's writes. Returns, per writing tab, how many events arrived, and how many were duplicates.
 */
export async function exchangeChanges(
  name: string,
  tab: number,
  tabs: number,
  writes: number,
): Promise<{ received: Record<string, number>; duplicates: number; local: number; timedOut: boolean }> {
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
  const seen = new Set<string>()
  const received: Record<string, number> = {}
  let duplicates = 0
  let local = 0
  const stop = cache.subscribe((event: ChangeEvent) => {
    if (event.version === "barrier") return
    if (event.local) local++
    for (const key of event.keys) {
      if (seen.has(key)) duplicates++
      seen.add(key)
      const from = key.split(":")[0] as string
      received[from] = (received[from] ?? 0) + 1
    }
  })
  try {
    await barrier(cache, tab, tabs, "subscribed")
    for (let i = 0; i < writes; i++) {
      const key = `${tab}:${i}`
      await cache.set(key, i)
      // Failed and no-op calls between the writes: none may send an event.
      await cache.incr(`missing-${tab}-${i}`).catch(() => {})
      await cache.delete(`missing-${tab}-${i}`)
      await cache.add(key, "again")
    }
    const expected = writes * tabs
    const timedOut = !(await until(() => seen.size >= expected))
    await sleep(200) // a late duplicate would show here
    return { received, duplicates, local, timedOut }
  } finally {
    stop()
    await cache.disconnect()
  }
}

/**
 * Runs `keys` concurrent getOrSet misses (the same keys in every tab), counting this tab's factory
 * calls; each factory takes a moment, as a request would. Returns the calls and the values returned.
 */
export async function missTogether(
  name: string,
  tab: number,
  tabs: number,
  keys: number,
): Promise<{ calls: number; values: string[] }> {
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
  let calls = 0
  try {
    await barrier(cache, tab, tabs, "ready")
    const values = await Promise.all(
      Array.from({ length: keys }, (_, i) =>
        cache.getOrSet(`k${i}`, async () => {
          calls++
          await sleep(50)
          return `tab ${tab}`
        }),
      ),
    )
    return { calls, values }
  } finally {
    await cache.disconnect()
  }
}

/** A store that counts the sweeps its namespaces run. */
export function countingStore(counter: { sweeps: number }): Store {
  const inner = createIndexedDBStore()
  return {
    kind: inner.kind,
    async open(name, options) {
      const namespace = await inner.open(name, options)
      return Object.assign(Object.create(namespace) as typeof namespace, {
        sweep(now: number, limit: number) {
          counter.sweeps++
          return namespace.sweep(now, limit)
        },
      })
    },
  }
}

/** Keeps a cache with a 50 ms sweep interval open for `ms`, and counts the sweeps it runs. */
export async function sweepFor(name: string, ms: number): Promise<number> {
  const counter = { sweeps: 0 }
  const cache = new Cache({ name, store: countingStore(counter), sweepInterval: 0.05 })
  await cache.connect()
  await sleep(ms)
  await cache.disconnect()
  return counter.sweeps
}

/** Starts a sweeping cache and leaves it running; `__progress` counts its sweeps (closeTabDuring). */
export function startSweeping(name: string): void {
  const counter = { sweeps: 0 }
  const g = globalThis as { __progress?: number; __report?: () => unknown }
  const cache = new Cache({ name, store: countingStore(counter), sweepInterval: 0.05 })
  void cache.connect()
  const tick = (): void => {
    g.__progress = counter.sweeps
    // Tells the test page that this tab is the sweeper.
    if (counter.sweeps === 1) void cache.set("sweeper", true, { version: "barrier" })
    setTimeout(tick, 5)
  }
  tick()
  g.__report = () => counter.sweeps
}

/** {@link missTogether} in a page without Web Locks. */
export function missTogetherWithoutLocks(...args: Parameters<typeof missTogether>): ReturnType<typeof missTogether> {
  hideLocks()
  return missTogether(...args)
}

/**
 * `writes` sets of keys of its own, 8 at a time, through a cache bounded to `maxEntries`, once every
 * tab is ready; then waits for the others. Returns how many writes failed.
 */
export async function writeBounded(
  name: string,
  tab: number,
  tabs: number,
  writes: number,
  maxEntries: number,
): Promise<number> {
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null, maxEntries })
  let failed = 0
  try {
    await barrier(cache, tab, tabs, "ready")
    for (let i = 0; i < writes; i += 8) {
      const batch = Array.from({ length: Math.min(8, writes - i) }, (_, j) =>
        cache.set(`${tab}:${i + j}`, { tab, i: i + j }).catch(() => {
          failed++
        }),
      )
      await Promise.all(batch)
    }
    return failed
  } finally {
    await cache.disconnect()
  }
}
