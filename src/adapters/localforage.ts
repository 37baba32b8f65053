/**
 * localForage and isocache: {@link importLocalForage} brings an app's existing localForage data into
 * a cache (every item of an instance, any driver, in one `setMany`: all or nothing), and
 * {@link createLocalForage} is a localForage-compatible face over a cache, so an app swaps one import
 * and gains expiry.
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
import { checkFactoryOptions, checkTimeout } from "../validate.js"
import type { CacheShape } from "./cache-shape.js"

export type { CacheShape } from "./cache-shape.js"

/** What the import reads of a localForage instance (`localforage` or `localforage.createInstance()`). */
export interface LocalForageSource {
  /** `localforage.iterate`: calls `iteratee` for each item. */
  iterate<T, U>(iteratee: (value: T, key: string, iterationNumber: number) => U): Promise<U>
}

/** What the import needs of a cache: a `Cache` of `isocache` is one. */
export type ImportTarget = Pick<CacheShape, "setMany">

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

/** What the localForage face needs of a cache: a `Cache` of `isocache` is one. */
export type LocalForageTarget = Pick<CacheShape, "get" | "set" | "delete" | "keys" | "entries" | "clear">

/** A localForage callback: `(error, result)`, called as well as the promise settles. */
export type LocalForageCallback<T> = (error: unknown, result: T) => void

/** The localForage storage methods, over a cache ({@link createLocalForage}). */
export interface LocalForageFace {
  /** The value of `key`, or `null` when there is none (localForage never answers `undefined`). */
  getItem<T>(key: string, callback?: LocalForageCallback<T | null>): Promise<T | null>
  /** Stores `value` (`undefined` is stored as `null`, as localForage does) and resolves to it. */
  setItem<T>(key: string, value: T, callback?: LocalForageCallback<T>): Promise<T>
  /** Removes `key`; nothing to remove is fine. */
  removeItem(key: string, callback?: (error: unknown) => void): Promise<void>
  /** Removes every item of the cache. */
  clear(callback?: (error: unknown) => void): Promise<void>
  /** How many items there are. */
  length(callback?: LocalForageCallback<number>): Promise<number>
  /** The name of the `index`-th key (in key order), or `null`. */
  key(index: number, callback?: LocalForageCallback<string | null>): Promise<string | null>
  /** Every key, in key order. */
  keys(callback?: LocalForageCallback<string[]>): Promise<string[]>
  /**
   * Calls `iteratee(value, key, iterationNumber)` for each item (`iterationNumber` from 1); a return
   * value other than `undefined` stops the iteration and is what it resolves to.
   */
  iterate<T, U>(
    iteratee: (value: T, key: string, iterationNumber: number) => U,
    callback?: LocalForageCallback<U>,
  ): Promise<U>
}

// Settles `callback` beside the promise, as localForage's `executeCallback` does.
function withCallback<T>(promise: Promise<T>, callback?: LocalForageCallback<T>): Promise<T> {
  if (callback)
    promise.then(
      (result) => callback(null, result),
      (error: unknown) => callback(error, undefined as T),
    )
  return promise
}

/**
 * A localForage-compatible face over `cache`: `getItem`, `setItem`, `removeItem`, `clear`, `length`,
 * `key`, `keys` and `iterate`, each with the optional callback localForage allows, so code written for
 * localForage runs on a cache, and items written through it expire after `timeout`.
 *
 * @param cache - the cache to keep the items in
 * @param options - `timeout` of the items written through the face (default: the cache's)
 * @returns the face
 * @throws InvalidArgumentError for an unknown option or a bad timeout
 * @example
 * ```ts
 * const store = createLocalForage(new Cache({ name: "app" }), { timeout: 86_400 })
 * await store.setItem("user", { name: "Ada" })
 * ```
 */
export function createLocalForage(
  cache: LocalForageTarget,
  options: { readonly timeout?: number | null } = {},
): LocalForageFace {
  checkFactoryOptions("createLocalForage", options, ["timeout"])
  const timeout = checkTimeout(options.timeout, undefined as never, "options.timeout")
  const write = timeout === undefined ? {} : { timeout }
  const key = String
  const face: LocalForageFace = {
    getItem: (name, callback) =>
      withCallback(
        cache.get(key(name)).then((value) => (value === undefined ? null : value) as never),
        callback,
      ),
    setItem: (name, value, callback) => {
      const stored = (value === undefined ? null : value) as typeof value
      return withCallback(
        cache.set(key(name), stored, write).then(() => stored),
        callback,
      )
    },
    removeItem: (name, callback) =>
      withCallback(
        cache.delete(key(name)).then(() => undefined),
        callback,
      ),
    clear: (callback) => withCallback(cache.clear(), callback),
    length: (callback) =>
      withCallback(
        cache.keys().then((keys) => keys.length),
        callback,
      ),
    key: (index, callback) =>
      withCallback(
        cache.keys().then((keys) => keys[index] ?? null),
        callback,
      ),
    keys: (callback) => withCallback(cache.keys(), callback),
    iterate: (iteratee, callback) =>
      withCallback(
        cache.entries().then((entries) => {
          let n = 0
          for (const [name, value] of entries) {
            const result = iteratee(value as never, name, ++n)
            if (result !== undefined) return result
          }
          return undefined as never
        }),
        callback,
      ),
  }
  return face
}
