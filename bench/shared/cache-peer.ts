// isocache behind the Peer face, for every environment: only how the cache is made differs.
import type { Cache } from "../../src/index.ts"
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
