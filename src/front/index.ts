/**
 * `isocache/front`: a memory front for any store, an entry point of its own (the core, and its browser
 * file, stay small). Live hits are served from memory; everything else goes to the store, and the
 * front follows the changes of the other caches of the name (this realm's at once, other tabs' and
 * processes' through the store's change channel).
 * @packageDocumentation
 */
import { InvalidArgumentError } from "../errors.js"
import type { Store, StoreEntry } from "../types.js"
import { checkFactoryOptions, checkMaxEntries, invalid } from "../validate.js"
import { frontOf } from "./namespace.js"

/** Options of {@link withMemoryFront}. */
export interface MemoryFrontOptions {
  /**
   * The most entries the front holds, per cache name; past it, the least recently used one leaves the
   * front (not the store).
   * @defaultValue `1000`
   */
  readonly maxEntries?: number
  /**
   * Whether reads return the front's own value, deep-frozen and shared by every reader, rather than a
   * copy each: a read of an object then costs no copy (in Firefox and WebKit a copy of a ~200-byte
   * object is about half of what a hit costs). Only plain data is shared: objects, arrays and
   * primitives. A value holding anything else (a `Map`, a `Date`, a typed array...) is still copied
   * per read, and so is a read that races a write of its key. Values written are copied first as
   * always, so the writer's object is never frozen; neither is the store's.
   * @defaultValue `false`
   */
  readonly frozen?: boolean
}

/** A store with a memory front (see {@link withMemoryFront}). */
export interface FrontedStore extends Store {
  /** The store behind the front. */
  readonly store: Store
  /**
   * How many entries the front of the cache name `name` holds now, in this realm (all the caches of
   * that name on this object together); `0` when none is open.
   */
  frontSize(name: string): number
}

/**
 * Puts a memory front before `store`: a `Cache` on the returned store reads a key from memory once
 * it has read or written it, as long as the entry is live by the cache's clock; misses, writes,
 * `add`, `incr`, `touch`, listings and sweeps go to `store`. Values are still copies: no caller
 * shares an object with the front.
 *
 * Coherence: a write through any cache of the name on the same backend in this realm, or in another
 * tab or process (where `store` carries changes: IndexedDB with BroadcastChannel, Redis), evicts the
 * front's copy once its change event arrives. Until then, a read in this realm may return the value
 * before that write; after it, never. Writes through this cache update the front once committed.
 * Writes issued while others are under way go together, once those end, in one transaction.
 *
 * @param store - the store behind the front, such as `createIndexedDBStore()`
 * @param options - `maxEntries`, the front's bound per cache name; `frozen`, to share deep-frozen values
 * @returns a store to pass as a cache's `store` option (of the same `kind` as `store`)
 * @throws InvalidArgumentError for an unknown option, a `maxEntries` that is not a positive integer, or
 *   a `frozen` that is not a boolean
 * @example
 * ```ts
 * const cache = new Cache({ name: "api", store: withMemoryFront(createIndexedDBStore(), { maxEntries: 500 }) })
 * ```
 */
export function withMemoryFront(store: Store, options: MemoryFrontOptions = {}): FrontedStore {
  checkFactoryOptions("withMemoryFront", options, ["maxEntries", "frozen"])
  if (typeof store?.open !== "function")
    throw invalid("withMemoryFront(store)", "a Store, such as createIndexedDBStore()", store)
  // A listener that joins the Redis store's open subscriber connection may hear a change committed
  // before it joined: the front, which holds that connection open, would make a cache's subscribers
  // hear such changes.
  if (store.kind === "redis")
    throw new InvalidArgumentError("withMemoryFront(store): the memory front is for the IndexedDB and memory stores")
  const limit = checkMaxEntries(options.maxEntries ?? 1000, "options.maxEntries") as number
  const frozen = options.frozen ?? false
  if (typeof frozen !== "boolean") throw invalid("options.frozen", "a boolean", frozen)
  const fronts = new Map<string, Set<Map<string, StoreEntry>>>()
  return {
    kind: store.kind,
    store,
    frontSize: (name) => [...(fronts.get(name) ?? [])].reduce((sum, slots) => sum + slots.size, 0),
    async open(name, namespaceOptions) {
      const inner = await store.open(name, namespaceOptions)
      const slots = new Map<string, StoreEntry>()
      const open = fronts.get(name) ?? new Set()
      fronts.set(name, open.add(slots))
      return frontOf(inner, name, inner.backend ?? store, { limit, frozen }, slots, () => {
        open.delete(slots)
        if (!open.size) fronts.delete(name)
      })
    },
  }
}
