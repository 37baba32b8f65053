/**
 * isocache for TanStack Query's persisters: an `AsyncStorage` over a `Cache` that keeps what
 * the persister hands it as objects (structured clones), so Dates, Maps and `undefined` fields of
 * query data survive, in IndexedDB, memory or Redis alike.
 *
 * @example
 * ```ts
 * import { createAsyncStoragePersister } from "@tanstack/query-async-storage-persister"
 * import { Cache } from "isocache"
 * import { queryPersisterOptions } from "isocache/adapters/tanstack-query"
 *
 * const persister = createAsyncStoragePersister(queryPersisterOptions(new Cache({ name: "queries" })))
 * ```
 * @packageDocumentation
 */
import { checkFactoryOptions, checkTimeout } from "../validate.js"
import type { CacheShape } from "./cache-shape.js"

export type { CacheShape } from "./cache-shape.js"

/**
 * The storage interface of TanStack Query's persisters (`AsyncStorage` of
 * `@tanstack/query-persist-client-core`), restated here so that this entry point needs no types of
 * the optional peer.
 */
export interface QueryStorage<T> {
  /** The value stored under `key`, or `null`. */
  getItem(key: string): Promise<T | null>
  /** Stores `value` under `key`. */
  setItem(key: string, value: T): Promise<void>
  /** Removes `key`. */
  removeItem(key: string): Promise<void>
  /** Every stored pair, for `persisterGc` and `restoreQueries`. */
  entries(): Promise<Array<[key: string, value: T]>>
}

/** What the storage needs of a cache: a `Cache` of `isocache` is one. */
export type QueryCache = Pick<CacheShape, "get" | "set" | "delete" | "entries">

/** Options of {@link createQueryStorage} and {@link queryPersisterOptions}. */
export interface QueryStorageOptions {
  /**
   * Seconds each stored item lives in the cache (`null` = never); the persisters' own `maxAge`
   * applies as well. Omitted = the cache's default timeout.
   * @defaultValue the cache's `timeout`
   */
  readonly timeout?: number | null | undefined
}

const optionNames = ["timeout"]

/**
 * An `AsyncStorage` over `cache`, for `experimental_createQueryPersister({ storage, serialize,
 * deserialize })` with `serialize` and `deserialize` left as the identity (see
 * {@link queryPersisterOptions} for `createAsyncStoragePersister`).
 *
 * @param cache - the cache to keep the persisted queries in (its name is their namespace)
 * @param options - `timeout`
 * @returns the storage
 * @throws InvalidArgumentError for an unknown option
 * @example
 * ```ts
 * const persister = experimental_createQueryPersister({
 *   storage: createQueryStorage<PersistedQuery>(cache),
 *   serialize: (query) => query,
 *   deserialize: (query) => query,
 * })
 * ```
 */
export function createQueryStorage<T = unknown>(cache: QueryCache, options: QueryStorageOptions = {}): QueryStorage<T> {
  checkFactoryOptions("createQueryStorage", options, optionNames)
  const timeout = checkTimeout(options.timeout, undefined as never, "options.timeout")
  const write = timeout === undefined ? {} : { timeout }
  return {
    getItem: async (key) => ((await cache.get(key)) as T | undefined) ?? null,
    setItem: (key, value) => cache.set(key, value, write),
    removeItem: async (key) => {
      await cache.delete(key)
    },
    entries: () => cache.entries() as Promise<Array<[string, T]>>,
  }
}

/** What {@link queryPersisterOptions} returns, to spread into `createAsyncStoragePersister`'s options. */
export interface PersisterOptions {
  /** The storage over the cache. */
  storage: QueryStorage<string>
  /** The identity: the client is stored as an object. */
  serialize: <C>(client: C) => string
  /** The identity: the client comes back as the object stored. */
  deserialize: <C>(stored: string) => C
}

/**
 * The options of `createAsyncStoragePersister` (a whole client in one item) on `cache`: the storage,
 * and `serialize`/`deserialize` as the identity, so the client is stored as an object rather than a
 * JSON string. (That persister types its storage as strings; the values are objects all the same.)
 *
 * @param cache - the cache to keep the persisted client in
 * @param options - `timeout`
 * @returns `{ storage, serialize, deserialize }`, to spread into the persister's options
 * @throws InvalidArgumentError for an unknown option
 */
export function queryPersisterOptions(cache: QueryCache, options: QueryStorageOptions = {}): PersisterOptions {
  return {
    storage: createQueryStorage<string>(cache, options),
    serialize: <C>(client: C) => client as unknown as string,
    deserialize: <C>(stored: string) => stored as unknown as C,
  }
}
