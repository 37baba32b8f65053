import { InvalidArgumentError } from "../errors.js"
import { copyStored } from "../storable.js"
import type { Store, StoreEntry, StoreKey, StoreUpdate } from "../types.js"

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The cache name. Memory stores of one name in one process share their entries.
   * @defaultValue `"isocache"`
   */
  readonly name?: string
  /**
   * The most entries this store keeps for its name; a write past it evicts the least recently used
   * entries (reads and writes both count as a use). `null` = unbounded.
   * @defaultValue `null`
   */
  readonly maxEntries?: number | null
}

/** A store that keeps entries in this process's memory: the Node (SSR) store and the browser fallback. */
export interface MemoryStore extends Store {
  readonly kind: "memory"
  /** How many entries this store's name holds now, expired ones not yet swept included. */
  readonly size: number
}

interface Slot {
  readonly key: StoreKey
  readonly entry: StoreEntry
}

type Registry = Map<string, Map<string, Slot>>

// One registry per process, on globalThis, so that an app that loads both the ESM and the CJS build
// still shares entries between caches of one name.
const registryKey = Symbol.for("isocache.memory-registry")

function registry(): Registry {
  const g = globalThis as { [registryKey]?: Registry }
  g[registryKey] ??= new Map()
  return g[registryKey]
}

// Injective: the version's length says where it ends, so ("a", "b:c") and ("a:b", "c") stay apart.
const slotId = ([version, key]: StoreKey): string => `${version.length}:${version}${key}`

// The values kept are the cache's private structured clones: what leaves the store is a copy of one.
const copyEntry = (entry: StoreEntry): StoreEntry => ({ value: copyStored(entry.value), expiresAt: entry.expiresAt })

/**
 * Creates a store that keeps values in memory. It keeps the values it is given as they are (the
 * cache hands it private copies) and returns structured clones, so no caller shares an object with
 * the cache. Entries outlive `close()`
 * and are shared with every memory store of the same name in this process.
 *
 * @param options - `name` and `maxEntries`
 * @returns the store, to pass as the `store` option of a {@link Cache}
 * @throws InvalidArgumentError when `maxEntries` is not a positive integer or null
 * @example
 * ```ts
 * const cache = new Cache({ store: createMemoryStore({ name: "ssr", maxEntries: 10_000 }) })
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const name = options.name ?? "isocache"
  const maxEntries = options.maxEntries ?? null
  if (maxEntries !== null && !(Number.isSafeInteger(maxEntries) && maxEntries > 0)) {
    throw new InvalidArgumentError(`maxEntries must be a positive integer or null, got ${String(maxEntries)}`)
  }
  const slots = (): Map<string, Slot> => {
    const all = registry()
    let mine = all.get(name)
    if (!mine) {
      mine = new Map()
      all.set(name, mine)
    }
    return mine
  }
  const read = (map: Map<string, Slot>, key: StoreKey): StoreEntry | undefined => {
    const id = slotId(key)
    const slot = map.get(id)
    if (!slot) return undefined
    if (maxEntries !== null) {
      // A Map iterates in insertion order: re-inserting marks the entry as the most recently used.
      map.delete(id)
      map.set(id, slot)
    }
    return slot.entry
  }
  const write = (map: Map<string, Slot>, key: StoreKey, entry: StoreEntry | null): void => {
    const id = slotId(key)
    // Deleting first moves a rewritten entry to the end: the most recently used, for the LRU bound.
    if (!entry || maxEntries !== null) map.delete(id)
    if (entry) map.set(id, { key, entry })
  }
  const evict = (map: Map<string, Slot>): void => {
    if (maxEntries === null) return
    for (const id of map.keys()) {
      if (map.size <= maxEntries) break
      map.delete(id)
    }
  }

  return {
    kind: "memory",
    get size() {
      return slots().size
    },
    async open() {},
    async close() {},
    async getMany(keys) {
      const map = slots()
      return keys.map((key) => {
        const entry = read(map, key)
        return entry && copyEntry(entry)
      })
    },
    async setMany(entries) {
      const map = slots()
      for (const [key, entry] of entries) write(map, key, entry)
      evict(map)
    },
    async update<R>(keys: readonly StoreKey[], fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>) {
      const map = slots()
      const current = keys.map((key) => {
        const entry = read(map, key)
        return entry && copyEntry(entry)
      })
      const { writes, result } = fn(current)
      keys.forEach((key, i) => {
        const next = writes[i]
        if (next !== undefined) write(map, key, next)
      })
      evict(map)
      return result
    },
    async list(version) {
      const found: Array<readonly [string, StoreEntry]> = []
      // Not a use of the entries: listing leaves the LRU order as it is.
      for (const { key, entry } of slots().values()) if (key[0] === version) found.push([key[1], copyEntry(entry)])
      return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    },
    async clear() {
      slots().clear()
    },
    async sweep(now, limit) {
      const map = slots()
      let removed = 0
      for (const [id, slot] of map) {
        if (removed >= limit) break
        if (slot.entry.expiresAt !== null && slot.entry.expiresAt <= now) {
          map.delete(id)
          removed++
        }
      }
      return removed
    },
  }
}
