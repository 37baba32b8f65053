// The in-memory peers compared in Node. isocache copies values (structured clone) on the way in and
// out, keyv serialises them to JSON, lru-cache keeps the caller's object as is.
import { Keyv } from "keyv"
import { LRUCache } from "lru-cache"
import { Cache } from "../../src/index.ts"
import { boundedWrites, cachePeer, staleReads } from "../shared/cache-peer.ts"
import type { Peer } from "../shared/workloads.ts"

// Memory stores of one name live as long as the process: each run's entries are freed on close.
const isocache = (): Peer =>
  cachePeer("isocache", (id) => new Cache({ name: `bench-${id}`, store: "memory" }), { clearOnClose: true })

function keyv(): Peer {
  let store: Keyv | null = null
  const k = (): Keyv => store as Keyv
  return {
    name: "keyv",
    async open() {
      store = new Keyv()
    },
    async close() {
      await store?.clear()
    },
    get: (key) => k().get(key),
    set: (key, value) => k().set(key, value),
    getMany: async (keys) => (await k().getMany(keys)).filter((v) => v !== undefined).length,
    setMany: (entries) => k().setMany(entries.map(([key, value]) => ({ key, value }))),
    incr: async (key) => k().set(key, ((await k().get<number>(key)) ?? 0) + 1),
    notes: { incr: "get + set: NOT atomic" },
  }
}

function lruCache(): Peer {
  let lru: LRUCache<string, NonNullable<unknown>> | null = null
  const l = (): LRUCache<string, NonNullable<unknown>> => lru as LRUCache<string, NonNullable<unknown>>
  return {
    name: "lru-cache",
    async open() {
      lru = new LRUCache({ max: 1_000_000 })
    },
    async close() {
      lru?.clear()
    },
    get: (key) => l().get(key),
    set: (key, value) => l().set(key, value as NonNullable<unknown>),
    incr: (key) => l().set(key, ((l().get(key) as number | undefined) ?? 0) + 1),
    notes: { get: "sync, no copy (awaited like the rest)", incr: "get + set (sync)" },
  }
}

/** Every peer, isocache first (the reference of the ratios). */
export const memoryPeers: Record<string, () => Peer> = {
  isocache,
  keyv,
  "lru-cache": lruCache,
  "isocache, stale getOrSet": () =>
    staleReads("isocache, stale getOrSet", (id) => new Cache({ name: `bench-${id}`, store: "memory" })),
  "isocache, at maxEntries": () =>
    boundedWrites(
      "isocache, at maxEntries",
      (id, maxEntries) => new Cache({ name: `bench-${id}`, store: "memory", maxEntries }),
    ),
}
