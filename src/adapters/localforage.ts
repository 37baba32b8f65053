/**
 * Brings an app's existing localForage data into a {@link Cache}: every item of a localForage
 * instance (any driver: IndexedDB, WebSQL, localStorage) written in one `setMany`, so the import is
 * all or nothing, with a timeout and a version for what it brings.
 *
 * @example
 * ```ts
 * import localforage from "localforage"
 * import { Cache } from "isocache"
 * import { importLocalForage } from "isocache/adapters/localforage"
 *
 * const cache = new Cache({ name: "app" })
 * const count = await importLocalForage(localforage, cache, { timeout: 7 * 24 * 3600 })
 * ```
 * @packageDocumentation
 */
import { checkFactoryOptions } from "../validate.js"

/** What the import reads of a localForage instance (`localforage` or `localforage.createInstance()`). */
export interface LocalForageSource {
  iterate<T, U>(iteratee: (value: T, key: string, iterationNumber: number) => U): Promise<U>
}

/** What the import needs of a cache: a `Cache` of `isocache` is one (typed by shape). */
export interface ImportTarget {
  setMany(
    entries: Iterable<readonly [string, unknown]>,
    options?: { readonly timeout?: number | null; readonly version?: string | number | null },
  ): Promise<void>
}

/** Options of {@link importLocalForage}. */
export interface ImportLocalForageOptions {
  /**
   * Seconds the imported entries live (`null` = never); omitted = the cache's default timeout.
   * @defaultValue the cache's `timeout`
   */
  readonly timeout?: number | null | undefined
  /**
   * The version the imported entries are written in; omitted = the cache's default version.
   * @defaultValue the cache's `version`
   */
  readonly version?: string | number | null | undefined
}

/**
 * Copies every item of `source` into `cache`, in one `setMany`: all of them or, when any value cannot
 * be stored (`NotStorableError` naming its key), none. The source is left as it was: clear it once
 * the app reads from the cache.
 *
 * @param source - a localForage instance
 * @param cache - the cache to write into
 * @param options - `timeout` and `version` of the imported entries
 * @returns how many items were imported
 * @throws InvalidArgumentError for an unknown option or a bad timeout or version
 */
export async function importLocalForage(
  source: LocalForageSource,
  cache: ImportTarget,
  options: ImportLocalForageOptions = {},
): Promise<number> {
  checkFactoryOptions("importLocalForage", options, ["timeout", "version"])
  const pairs: Array<[string, unknown]> = []
  await source.iterate<unknown, void>((value, key) => {
    pairs.push([key, value])
  })
  const write: { timeout?: number | null; version?: string | number | null } = {}
  if (options.timeout !== undefined) write.timeout = options.timeout
  if (options.version !== undefined) write.version = options.version
  await cache.setMany(pairs, write)
  return pairs.length
}
