import { BROWSER_FILE } from "../build-target.js"
import { copyStored } from "../storable.js"
import {
  removalTime,
  type Store,
  type StoreEntry,
  type StoreKey,
  type StoreNamespace,
  type StoreUpdate,
  keyId as slotId,
} from "../types.js"
import { boundDiffers, checkFactoryOptions, checkMaxEntries } from "../validate.js"

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most entries the store keeps for each cache name; a write past it evicts the least recently
   * used entries of that name (reads and writes both count as a use). `null` = unbounded, unless a
   * cache of the name gives a `maxEntries` of its own.
   * @defaultValue `null`
   */
  readonly maxEntries?: number | null
}

/**
 * A store that keeps entries in this process's memory: the Node (SSR) store and the browser fallback.
 * Each object is a backend of its own; `store: "memory"` is the process-wide one.
 */
export interface MemoryStore extends Store {
  readonly kind: "memory"
  /** How many entries the name holds now on this store, expired ones not yet swept included. */
  size(name: string): number
}

interface Slot {
  readonly key: StoreKey
  readonly entry: StoreEntry
}

/** One name's entries on one memory backend, and the bound they share. */
interface Space {
  readonly slots: Map<string, Slot>
  maxEntries: number | null
  /** No entry's removal time is earlier (a lower bound): before it, eviction need not look for gone ones. */
  soonest: number
}

// The values kept are the cache's private structured clones: what leaves the store is a copy of one.
const copyEntry = (entry: StoreEntry): StoreEntry => ({ ...entry, value: copyStored(entry.value) })

function namespaceOf(space: Space, now: () => number): StoreNamespace {
  const map = space.slots
  // A copy of the entry of `key`, if any.
  const read = (key: StoreKey): StoreEntry | undefined => {
    const id = slotId(key)
    const slot = map.get(id)
    if (!slot) return undefined
    if (space.maxEntries !== null) {
      // A Map iterates in insertion order: re-inserting marks the entry as the most recently used.
      map.delete(id)
      map.set(id, slot)
    }
    return copyEntry(slot.entry)
  }
  // Makes the writes (`undefined` leaves an entry as it is, `null` deletes it), then evicts past the
  // bound: the entries past their removal time first (all of them, in one pass, taken only when one
  // may be gone), then the least recently used.
  const writeAll = (writes: ReadonlyArray<readonly [StoreKey, StoreEntry | null | undefined]>): void => {
    for (const [key, entry] of writes) {
      if (entry === undefined) continue
      const id = slotId(key)
      // Deleting first moves a rewritten entry to the end: the most recently used, for the LRU bound.
      if (!entry || space.maxEntries !== null) map.delete(id)
      if (entry) {
        map.set(id, { key, entry })
        space.soonest = Math.min(space.soonest, removalTime(entry) ?? Infinity)
      }
    }
    const max = space.maxEntries
    if (max === null || map.size <= max) return
    const time = now()
    if (space.soonest <= time) {
      space.soonest = Infinity
      for (const [id, { entry }] of map) {
        const removal = removalTime(entry) ?? Infinity
        if (removal <= time) map.delete(id)
        else space.soonest = Math.min(space.soonest, removal)
      }
    }
    for (const id of map.keys()) {
      if (map.size <= max) break
      map.delete(id)
    }
  }
  const namespace: StoreNamespace = {
    async close() {},
    async getMany(keys) {
      return keys.map(read)
    },
    async setMany(entries) {
      writeAll(entries)
    },
    async update<R>(keys: readonly StoreKey[], fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>) {
      const { writes, result } = fn(keys.map(read))
      writeAll(keys.map((key, i) => [key, writes[i]]))
      return result
    },
    async list(version) {
      const found: Array<readonly [string, StoreEntry]> = []
      // Not a use of the entries: listing leaves the LRU order as it is.
      for (const { key, entry } of map.values()) if (key[0] === version) found.push([key[1], copyEntry(entry)])
      return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    },
    async clear() {
      map.clear()
    },
    async sweep(now, limit) {
      let removed = 0
      for (const [id, slot] of map) {
        if (removed >= limit) break
        if ((removalTime(slot.entry) ?? Number.POSITIVE_INFINITY) <= now) {
          map.delete(id)
          removed++
        }
      }
      return removed
    },
  }
  // The browser file's Cache never peeks.
  if (!BROWSER_FILE) namespace.peek = (keys) => keys.map(read)
  return namespace
}

// Each store's names and their entries, for tests that read storage underneath the library.
const spacesOf = new WeakMap<MemoryStore, Map<string, Space>>()

/** The raw slots of `name` on `store` (internal: for tests that read storage underneath the library). */
export function rawSlots(store: MemoryStore, name: string): ReadonlyMap<string, unknown> {
  return spacesOf.get(store)?.get(name)?.slots ?? new Map()
}

function memoryStore(spaces: Map<string, Space>, defaultBound: number | null): MemoryStore {
  const store: MemoryStore = {
    kind: "memory",
    size: (name) => spaces.get(name)?.slots.size ?? 0,
    async open(name, { maxEntries, now = Date.now }) {
      const bound = checkMaxEntries(maxEntries, "maxEntries") ?? defaultBound
      let space = spaces.get(name)
      if (!space) {
        space = { slots: new Map(), maxEntries: bound, soonest: Infinity }
        spaces.set(name, space)
      } else if (bound !== null) {
        if (space.maxEntries !== null && space.maxEntries !== bound) throw boundDiffers(bound, space.maxEntries, name)
        space.maxEntries = bound
      }
      return namespaceOf(space, now)
    },
  }
  // The browser file exports no rawSlots: no test reads its stores.
  if (!BROWSER_FILE) spacesOf.set(store, spaces)
  return store
}

/**
 * Creates a memory store: a backend of its own, whose entries are shared by the caches that use this
 * object and by nothing else (`store: "memory"` is the process-wide one). It keeps the values it is
 * given as they are (the cache hands it private copies) and returns copies, so no caller shares an
 * object with the cache. Entries outlive a cache's `disconnect()`.
 *
 * @param options - `maxEntries`, the bound of each name
 * @returns the store, to pass as the `store` option of a {@link Cache}
 * @throws InvalidArgumentError for an unknown option, or a `maxEntries` that is not a positive integer or null
 * @example
 * ```ts
 * const cache = new Cache({ name: "ssr", store: createMemoryStore({ maxEntries: 10_000 }) })
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  checkFactoryOptions("createMemoryStore", options, ["maxEntries"])
  return memoryStore(new Map(), checkMaxEntries(options.maxEntries, "options.maxEntries"))
}

// The process-wide memory store, on globalThis, so that an app that loads both the ESM and the CJS
// build still shares entries between caches of one name.
const registryKey = Symbol.for("isocache.memory-store")

/** The process-wide memory store (`store: "memory"`, and the fallback of `"auto"`). */
export function processMemoryStore(): MemoryStore {
  const g = globalThis as { [registryKey]?: MemoryStore }
  g[registryKey] ??= memoryStore(new Map(), null)
  return g[registryKey]
}
