/**
 * isocache for SWR: a synchronous cache provider (SWR refuses asynchronous ones) loaded from a
 * `Cache` at start and written through to it, so that a page shows its last data at once, offline
 * included, and keeps it across reloads.
 *
 * @example
 * ```ts
 * import { SWRConfig } from "swr"
 * import { Cache, createIndexedDBStore } from "isocache"
 * import { swrCacheProvider } from "isocache/adapters/swr"
 *
 * const provider = await swrCacheProvider(new Cache({ name: "swr", timeout: 86_400 }))
 * root.render(<SWRConfig value={{ provider }}><App /></SWRConfig>)
 * ```
 * @packageDocumentation
 */
import { checkFactoryOptions, checkTimeout } from "../validate.js"
import type { CacheShape } from "./cache-shape.js"

export type { CacheShape } from "./cache-shape.js"

/** What SWR keeps per key (its `State`): only `data` is stored in the cache. */
export interface SWRState {
  /** The data of the key, stored in the cache. */
  data?: unknown
  /** The last error (kept in memory only). */
  error?: unknown
  /** The other fields SWR keeps (`isValidating`, `isLoading`, …), in memory only. */
  [field: string]: unknown
}

/** SWR's cache interface (its `Cache`), restated so that this entry point needs no types of SWR. */
export interface SWRCacheLike {
  /** The keys held. */
  keys(): IterableIterator<string>
  /** The state of `key`, synchronously. */
  get(key: string): SWRState | undefined
  /** Holds `value` for `key`; its `data` is written through to the cache. */
  set(key: string, value: SWRState): void
  /** Drops `key`, from the cache too. */
  delete(key: string): void
}

/** A change event, as the provider reads it (a `ChangeEvent` of `isocache` is one). */
export interface ChangeLike {
  /** What the call did. */
  readonly type: "set" | "delete" | "clear"
  /** The keys it wrote or deleted. */
  readonly keys: readonly string[]
  /** Whether it was made through the very cache that reports it. */
  readonly local: boolean
}

/** What the provider needs of a cache: a `Cache` of `isocache` is one. */
export type SWRCache = Pick<CacheShape, "getMany" | "set" | "delete" | "entries"> & {
  /** `Cache.subscribe`. */
  readonly subscribe: (listener: (event: ChangeLike) => void) => () => void
}

/** Options of {@link swrCacheProvider}. */
export interface SWRProviderOptions {
  /**
   * Seconds each key's data is kept in the cache (`null` = never expire).
   * @defaultValue the cache's default timeout
   */
  readonly timeout?: number | null
  /**
   * Called when data could not be written through (a value the cache cannot store, a full quota):
   * it stays in memory for this page.
   * @defaultValue a `console.warn`
   */
  readonly onError?: (error: unknown, key: string) => void
}

/**
 * Loads every live entry of `cache` (its default version) and returns SWR's `provider` option: a
 * synchronous cache that holds SWR's state in memory and writes each key's `data` through to `cache`
 * when it changes (fire and forget). Writes of other tabs and caches of the name (change events)
 * update what it holds; the hooks read it at their next render or revalidation.
 *
 * @param cache - the cache to load from and write to
 * @param options - `timeout`, `onError`
 * @returns the value of SWR's `provider` option
 * @throws InvalidArgumentError for an unknown option or a bad timeout
 */
export async function swrCacheProvider(
  cache: SWRCache,
  options: SWRProviderOptions = {},
): Promise<(parent?: unknown) => SWRCacheLike> {
  checkFactoryOptions("swrCacheProvider", options, ["timeout", "onError"])
  const timeout =
    options.timeout === undefined ? undefined : { timeout: checkTimeout(options.timeout, null, "options.timeout") }
  const onError =
    options.onError ??
    ((error: unknown, key: string) => console.warn(`isocache/adapters/swr: "${key}" was not written`, error))
  const report = (key: string) => (error: unknown) => {
    try {
      onError(error, key)
    } catch {} // a throwing listener harms nobody
  }
  const states = new Map<string, SWRState>()
  // The data last written (or read) per key: SWR sets a key's state many times with the same data.
  const written = new Map<string, unknown>()
  const hold = (key: string, data: unknown): void => {
    states.set(key, { ...states.get(key), data })
    written.set(key, data)
  }
  for (const [key, data] of await cache.entries()) hold(key, data)
  cache.subscribe(({ type, keys, local }) => {
    if (local) return
    if (type === "clear") {
      states.clear()
      written.clear()
    } else if (type === "delete")
      for (const key of keys) {
        states.delete(key)
        written.delete(key)
      }
    else
      void cache.getMany(keys).then(
        (found) => {
          for (const key of keys) if (key in found) hold(key, found[key])
        },
        () => {},
      ) // a later change or reload reads it again
  })
  const provider: SWRCacheLike = {
    keys: () => states.keys(),
    get: (key) => states.get(key),
    set(key, state) {
      states.set(key, state)
      const data = state?.data
      if (data === undefined || written.get(key) === data) return
      written.set(key, data)
      cache.set(key, data, timeout).catch(report(key))
    },
    delete(key) {
      states.delete(key)
      written.delete(key)
      cache.delete(key).catch(report(key))
    },
  }
  return () => provider
}
