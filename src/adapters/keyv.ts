/**
 * isocache as a keyv storage adapter: `new Keyv({ store: new KeyvCache(cache) })`, so keyv,
 * cache-manager 7 and cacheable users get isocache's stores (memory, IndexedDB, Redis) behind the API
 * they know. keyv's `ttl` (milliseconds) becomes the entry's timeout; keyv's namespace is a key
 * prefix, and `clear()` with a namespace removes that namespace's keys only.
 *
 * @example
 * ```ts
 * import Keyv from "keyv"
 * import { Cache } from "isocache"
 * import { KeyvCache } from "isocache/adapters/keyv"
 *
 * const keyv = new Keyv({ store: new KeyvCache(new Cache({ name: "sessions" })), namespace: "app" })
 * await keyv.set("user:1", { name: "Ada" }, 60_000)
 * ```
 * @packageDocumentation
 */

import type { CacheShape } from "./cache-shape.js"

export type { CacheShape } from "./cache-shape.js"

/** What the adapter needs of a cache: a `Cache` of `isocache` is one. */
export type KeyvTarget = Pick<
  CacheShape,
  "get" | "getMany" | "set" | "delete" | "deleteMany" | "keys" | "entries" | "clear" | "disconnect"
>

/** A listener of the adapter's events (keyv listens for `"error"`). */
export type KeyvListener = (...args: unknown[]) => void

/**
 * A keyv storage adapter (`KeyvStoreAdapter`) over a cache. Values are stored as keyv hands them
 * (its serialized strings by default, or objects when keyv is told not to serialize).
 */
export class KeyvCache {
  /**
   * What keyv reads of the store's options. (keyv 5 offers `iterator()` only for its own list of
   * dialects, so through keyv there is none; the adapter's own `iterator()` works.)
   */
  readonly opts: {
    /** The store's dialect, for keyv: `"isocache"`. */
    readonly dialect: string
    /** A connection URL, which keyv reads: none. */
    readonly url: string
  } = { dialect: "isocache", url: "" }
  /** Set by keyv: the prefix (`<namespace>:`) of this keyv's keys. */
  namespace: string | undefined
  readonly #cache: KeyvTarget
  readonly #listeners = new Map<string, KeyvListener[]>()

  /**
   * Wraps `cache` for keyv.
   * @param cache - the cache that holds the entries (its name is their namespace in the store)
   */
  constructor(cache: KeyvTarget) {
    this.#cache = cache
  }

  /** Listens for `"error"` events, as keyv asks of a store. */
  on(event: string, listener: KeyvListener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener])
    return this
  }

  /** The stored value, or `undefined`. */
  async get<Value>(key: string): Promise<Value | undefined> {
    return (await this.#cache.get(key)) as Value | undefined
  }

  /** The stored values, `undefined` for each miss, in order. */
  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const found = await this.#cache.getMany(keys)
    return keys.map((key) => found[key] as Value | undefined)
  }

  /** Stores a value; `ttl` in milliseconds (none or 0: the cache's default timeout). */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.#cache.set(key, value, typeof ttl === "number" && ttl > 0 ? { timeout: ttl / 1000 } : {})
    return true
  }

  /** Stores many values, each with its own `ttl`. */
  async setMany(values: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    await Promise.all(values.map(({ key, value, ttl }) => this.set(key, value, ttl)))
  }

  /** Whether a live entry was removed. */
  delete(key: string): Promise<boolean> {
    return this.#cache.delete(key)
  }

  /** Whether any live entry was removed. */
  async deleteMany(keys: string[]): Promise<boolean> {
    return (await this.#cache.deleteMany(keys)) > 0
  }

  /** Whether the key has a live entry. */
  async has(key: string): Promise<boolean> {
    return (await this.#cache.getMany([key]))[key] !== undefined
  }

  /** Whether each key has a live entry, in order. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    const found = await this.#cache.getMany(keys)
    return keys.map((key) => found[key] !== undefined)
  }

  /** Removes this namespace's entries (every entry of the cache when keyv has no namespace). */
  async clear(): Promise<void> {
    const prefix = this.namespace === undefined ? undefined : `${this.namespace}:`
    if (prefix === undefined) return this.#cache.clear()
    await this.#cache.deleteMany((await this.#cache.keys()).filter((key) => key.startsWith(prefix)))
  }

  /** The `[key, value]` pairs of a namespace (or of every key), for keyv's `iterator()`. */
  async *iterator<Value>(namespace?: string): AsyncGenerator<[string, Value], void> {
    const prefix = namespace === undefined ? "" : `${namespace}:`
    for (const [key, value] of await this.#cache.entries()) {
      if (key.startsWith(prefix)) yield [key, value as Value]
    }
  }

  /** Disconnects the cache. */
  disconnect(): Promise<void> {
    return this.#cache.disconnect()
  }
}
