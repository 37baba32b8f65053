// isocache behind the Peer face, for every environment: only how the cache is made differs.
import type { Cache, FactoryContext } from "../../src/index.ts"
import type { Peer } from "./workloads.ts"

/**
 * A peer running a `Cache` made by `make(id)` (a fresh store per run). With `clearOnClose`, the
 * run's entries are cleared before disconnecting (stores whose data outlives the cache object).
 */
export function cachePeer(
  name: string,
  make: (id: string) => Cache,
  extra: Pick<Peer, "only" | "notes"> & { readonly clearOnClose?: boolean } = {},
): Peer {
  let cache: Cache | null = null
  const c = (): Cache => cache as Cache
  const { clearOnClose = false, ...rest } = extra
  return {
    name,
    async open(id) {
      cache = make(id)
      await cache.connect()
    },
    async close() {
      if (clearOnClose) await cache?.clear()
      await cache?.disconnect()
    },
    get: (key) => c().get(key),
    set: (key, value) => c().set(key, value),
    getMany: async (keys) => Object.keys(await c().getMany(keys)).length,
    setMany: (entries) => c().setMany(entries),
    incr: (key) => c().incr(key),
    ...rest,
  }
}

/**
 * `inner` reading the getMany workload's keys one call at a time instead of in one `getMany`: what
 * `getMany` saves. Only that workload runs.
 */
export function oneByOne(inner: Peer, name: string, note: string): Peer {
  return {
    ...inner,
    name,
    open: (id) => inner.open(`${id}-seq`),
    getMany: async (keys) => {
      let hits = 0
      for (const key of keys) if ((await inner.get(key)) !== undefined) hits++
      return hits
    },
    only: ["getMany"],
    notes: { getMany: note },
  }
}

/**
 * isocache's `get` workload read through `getOrSet` on entries that are stale within
 * `staleWhileRevalidate`: each read returns the stale value at once while the key's one background
 * refresh (started by an untimed first read of every key, held until the peer closes) is under way,
 * as when many calls see one stale value. Its ratio to the plain `get` row is what serving stale
 * costs. Only that workload runs.
 */
export function staleReads(name: string, make: (id: string) => Cache): Peer {
  let cache: Cache | null = null
  let release: () => void = () => {}
  let held = new Promise<void>((resolve) => {
    release = resolve
  })
  const c = (): Cache => cache as Cache
  const refresh = async ({ stale: old }: FactoryContext<unknown>): Promise<unknown> => {
    await held
    return old?.value
  }
  // Expired a millisecond after the write, stale for an hour.
  const stale = { timeout: 0.001, staleWhileRevalidate: 3_600 }
  return {
    name,
    async open(id) {
      held = new Promise<void>((resolve) => {
        release = resolve
      })
      cache = make(`${id}-stale`)
      await cache.connect()
    },
    async close() {
      release()
      await cache?.clear()
      await cache?.disconnect()
    },
    get: (key) => c().getOrSet(key, refresh, stale),
    set: (key, value) => c().set(key, value, stale),
    async warm(keys) {
      await new Promise((resolve) => setTimeout(resolve, 5)) // past the timeout of every entry
      for (const key of keys) await c().getOrSet(key, refresh, stale)
    },
    only: ["get"],
    notes: { get: "getOrSet on stale entries, their refresh under way: the stale value at once" },
  }
}

/** The bound of the {@link boundedWrites} peer. */
export const BENCH_BOUND = 100

/**
 * isocache's write workloads on a cache bounded to {@link BENCH_BOUND} entries and filled to it
 * before the run, so that every timed write evicts one entry. Its ratio to the plain `set` rows is
 * what keeping a bound costs.
 */
export function boundedWrites(name: string, make: (id: string, maxEntries: number) => Cache): Peer {
  let cache: Cache | null = null
  const inner = cachePeer(name, (id) => (cache = make(`${id}-bounded`, BENCH_BOUND)), {
    clearOnClose: true,
    only: ["set", "concurrentSet"],
    notes: { set: `maxEntries ${BENCH_BOUND}, full: every write evicts one entry` },
  })
  return {
    ...inner,
    // Filled to the bound, untimed: every timed write then passes it.
    async warm() {
      await cache?.setMany(Array.from({ length: BENCH_BOUND }, (_, i): [string, number] => [`fill-${i}`, i]))
    },
  }
}

/** How many entries the front of the {@link memoryFront} peer holds: every key of the run. */
export const BENCH_FRONT = 20_000

/**
 * isocache with a memory front ({@link BENCH_FRONT} entries, every key of the run) before the store
 * `make` gives: reads of keys written or read before come from memory. Its ratio to the plain rows is
 * what the front saves on reads, and costs on writes. `frozen`: the front shares deep-frozen values
 * (`frozen: true`), which the note says.
 */
export const memoryFront = (name: string, make: (id: string) => Cache, frozen = false): Peer =>
  cachePeer(name, make, {
    clearOnClose: true,
    notes: {
      get: `withMemoryFront(…, { maxEntries: ${BENCH_FRONT.toLocaleString("en-US")}${frozen ? ", frozen: true" : ""} }): every key read was written before`,
    },
  })
