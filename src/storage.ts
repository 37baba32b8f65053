/**
 * `isocache/storage`: persistent storage and usage of the origin whose IndexedDB a cache uses, an
 * entry point of its own (the core, and its browser file, stay small). Feature-detected: `false` or
 * `null` where the browser cannot tell, and for a cache on another store.
 * @packageDocumentation
 */

/** What these functions use of a `Cache` (any `Cache` is one): typed by shape. */
export interface CacheWithStore {
  /** Connects the cache (`Cache.connect`). */
  connect(): Promise<void>
  /** The kind of store in use (`Cache.storeKind`). */
  readonly storeKind: string | null
}

/** What {@link storageEstimate} tells of the origin's storage. */
export interface StorageUsage {
  /** Bytes the origin uses (all its storage, not only this cache). */
  readonly usage: number
  /** Bytes the origin may use. */
  readonly quota: number
  /** Whether the browser keeps the storage under pressure (see {@link persistStorage}). */
  readonly persisted: boolean
}

// The browser's StorageManager (one with estimate(), missing before Safari 17), when `cache` keeps
// its entries in IndexedDB; connects the cache to tell.
async function storageOf(cache: CacheWithStore): Promise<StorageManager | undefined> {
  await cache.connect()
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage
  return cache.storeKind === "indexeddb" && storage?.estimate ? storage : undefined
}

/**
 * Asks the browser to keep the origin's storage when it runs short of space
 * (`navigator.storage.persist()`; browsers evict whole origins under pressure otherwise; Firefox
 * asks the user). Connects the cache.
 * @param cache - a cache; only one on IndexedDB has browser storage to persist
 * @returns whether the storage is persistent now; `false` where the browser cannot tell or grant it,
 *   and for a cache on another store
 * @example
 * ```ts
 * import { persistStorage } from "isocache/storage"
 * if (!(await persistStorage(cache))) console.info("the browser may evict this cache under pressure")
 * ```
 */
export async function persistStorage(cache: CacheWithStore): Promise<boolean> {
  return (await (await storageOf(cache))?.persist()) ?? false
}

/**
 * How much storage the origin uses and may use (`navigator.storage.estimate()`), and whether it is
 * persistent. Connects the cache.
 * @param cache - a cache; only one on IndexedDB has browser storage to measure
 * @returns bytes used and allowed, or `null` where the browser cannot tell (before Safari 17, in
 *   Node) and for a cache on another store
 * @example
 * ```ts
 * import { storageEstimate } from "isocache/storage"
 * const usage = await storageEstimate(cache) // { usage: 1_234_567, quota: 2_000_000_000, persisted: false }
 * ```
 */
export async function storageEstimate(cache: CacheWithStore): Promise<StorageUsage | null> {
  const storage = await storageOf(cache)
  const { usage, quota } = (await storage?.estimate()) ?? {}
  return quota === undefined
    ? null
    : { usage: usage ?? 0, quota, persisted: await (storage as StorageManager).persisted() }
}
