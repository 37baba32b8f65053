/**
 * `isocache/front`: a memory front for any store, an entry point of its own (the core, and its browser
 * file, stay small). Live hits are served from memory; everything else goes to the store, and the
 * front follows the changes of the other caches of the name (this realm's at once, other tabs' and
 * processes' through the store's change channel).
 * @packageDocumentation
 */
import { listen } from "./changes.js"
import { InvalidArgumentError } from "./errors.js"
import { copyStored } from "./storable.js"
import { keyId, type Store, type StoreChange, type StoreEntry, type StoreKey, type StoreNamespace } from "./types.js"
import { checkFactoryOptions, checkMaxEntries, invalid } from "./validate.js"

/** Options of {@link withMemoryFront}. */
export interface MemoryFrontOptions {
  /**
   * The most entries the front holds, per cache name; past it, the least recently used one leaves the
   * front (not the store).
   * @defaultValue `1000`
   */
  readonly maxEntries?: number
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
 *
 * @param store - the store behind the front, such as `createIndexedDBStore()`
 * @param options - `maxEntries`, the front's bound per cache name
 * @returns a store to pass as a cache's `store` option (of the same `kind` as `store`)
 * @throws InvalidArgumentError for an unknown option, or a `maxEntries` that is not a positive integer
 * @example
 * ```ts
 * const cache = new Cache({ name: "api", store: withMemoryFront(createIndexedDBStore(), { maxEntries: 500 }) })
 * ```
 */
export function withMemoryFront(store: Store, options: MemoryFrontOptions = {}): FrontedStore {
  checkFactoryOptions("withMemoryFront", options, ["maxEntries"])
  if (typeof store?.open !== "function")
    throw invalid("withMemoryFront(store)", "a Store, such as createIndexedDBStore()", store)
  // A listener that joins the Redis store's open subscriber connection may hear a change committed
  // before it joined: the front, which holds that connection open, would make a cache's subscribers
  // hear such changes.
  if (store.kind === "redis")
    throw new InvalidArgumentError("withMemoryFront(store): the memory front is for the IndexedDB and memory stores")
  const limit = checkMaxEntries(options.maxEntries ?? 1000, "options.maxEntries") as number
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
      return frontOf(inner, name, inner.backend ?? store, limit, slots, () => {
        open.delete(slots)
        if (!open.size) fronts.delete(name)
      })
    },
  }
}

// A caller's copy of an entry the front keeps.
const copy = (entry: StoreEntry): StoreEntry => ({ ...entry, value: copyStored(entry.value) })

/** The namespace `inner` with the front `slots` (keyed by keyId, least recently used first). */
function frontOf(
  inner: StoreNamespace,
  name: string,
  backend: unknown,
  limit: number,
  slots: Map<string, StoreEntry>,
  closed: () => void,
): StoreNamespace {
  // What changed while reads and writes were under way: one fills the front with what it saw only if
  // its key was not changed since it started (by a write, an event, a clear). A change event can
  // overtake the commit it tells of. Once nothing is under way, the changes are forgotten.
  let clock = 0
  let clearedAt = 0
  const changedAt = new Map<string, number>()
  let running = 0
  const changed = (id: string): void => {
    slots.delete(id)
    if (running) changedAt.set(id, ++clock)
  }
  const unchanged = (id: string, since: number): boolean => clearedAt <= since && (changedAt.get(id) ?? 0) <= since
  const tracked = async <R>(run: (since: number) => Promise<R>): Promise<R> => {
    running++
    try {
      return await run(clock)
    } finally {
      if (!--running) changedAt.clear()
    }
  }
  const cleared = (): void => {
    slots.clear()
    clearedAt = ++clock
  }
  // The last change this namespace published: its own, not to evict when this realm hears of it.
  let own: StoreChange | null = null
  // The keys of the writes under way (a clear counts for every key): a read issued after a write must
  // see it, so the store, which keeps issue order, answers it.
  const writing = new Map<string, number>()
  let clearing = 0
  const busy = (id: string): boolean => clearing > 0 || writing.has(id)
  // Runs a write of `keys`, marked under way while it runs.
  const writingTo = async <R>(keys: readonly StoreKey[], write: () => Promise<R>): Promise<R> => {
    const ids = keys.map(keyId)
    for (const id of ids) writing.set(id, (writing.get(id) ?? 0) + 1)
    try {
      return await write()
    } finally {
      for (const id of ids) {
        const left = (writing.get(id) as number) - 1
        if (left) writing.set(id, left)
        else writing.delete(id)
      }
    }
  }

  const forget = (keys: readonly StoreKey[]): void => {
    for (const key of keys) changed(keyId(key))
  }
  const evict = (change: StoreChange): void => {
    if (change.type === "clear") cleared()
    else forget(change.keys.map((key): StoreKey => [change.version ?? "", key]))
  }
  const keep = (key: StoreKey, entry: StoreEntry): void => {
    const id = keyId(key)
    slots.delete(id)
    slots.set(id, entry)
    for (const oldest of slots.keys()) {
      if (slots.size <= limit) break
      slots.delete(oldest)
    }
  }
  // After a write committed: the entries it stored, whose keys nothing changed while it ran; the
  // others forgotten. Then the reads under way of these keys keep nothing.
  const wrote = (since: number, writes: ReadonlyArray<readonly [StoreKey, StoreEntry | null | undefined]>): void => {
    for (const [key, entry] of writes) {
      if (entry === undefined) continue
      const id = keyId(key)
      const kept = entry && unchanged(id, since)
      changed(id)
      if (kept) keep(key, entry)
    }
  }
  // Runs one of the store's own read-modify-writes, whose writes the front does not see: forgets `keys`.
  const through =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>, keys: (...args: A) => readonly StoreKey[]) =>
    async (...args: A): Promise<R> => {
      try {
        return await writingTo(keys(...args), () => call(...args))
      } finally {
        forget(keys(...args))
      }
    }

  // Every change of the name made in this realm, whatever its backend: one on another backend only
  // costs a miss, and the Redis store, whose changes travel through the server even within a process,
  // gives each namespace a backend of its own.
  const stopListening = listen(name, (change) => {
    if (change !== own) evict(change)
  })
  const stopChannel = inner.subscribe?.(evict)

  const namespace: StoreNamespace = {
    backend,
    async close() {
      stopListening()
      stopChannel?.()
      slots.clear()
      closed()
      await inner.close()
    },
    async getMany(keys) {
      const found = keys.map((key) => {
        const id = keyId(key)
        return busy(id) ? undefined : slots.get(id)
      })
      const missing = keys.filter((_, i) => !found[i])
      if (missing.length)
        return tracked(async (since) => {
          const read = await inner.getMany(missing)
          let next = 0
          return found.map((hit, i) => {
            if (hit) return copy(hit)
            const entry = read[next++]
            const key = keys[i] as StoreKey
            // The caller keeps what the store returned; the front a copy of its own.
            if (entry && unchanged(keyId(key), since)) keep(key, copy(entry))
            return entry
          })
        })
      return found.map((hit, i) => {
        keep(keys[i] as StoreKey, hit as StoreEntry)
        return copy(hit as StoreEntry)
      })
    },
    setMany: (entries) =>
      tracked(async (since) => {
        await writingTo(
          entries.map(([key]) => key),
          () => inner.setMany(entries),
        )
        wrote(since, entries)
      }),
    update: (keys, fn) =>
      tracked(async (since) => {
        let writes: readonly (StoreEntry | null | undefined)[] = []
        const result = await writingTo(keys, () =>
          inner.update(keys, (current) => {
            const decided = fn(current)
            writes = decided.writes
            return decided
          }),
        )
        wrote(
          since,
          keys.map((key, i) => [key, writes[i]]),
        )
        return result
      }),
    list: (version) => inner.list(version),
    async clear() {
      clearing++
      try {
        await inner.clear()
      } finally {
        clearing--
        cleared()
      }
    },
    sweep: (now, limit) => inner.sweep(now, limit),
    publish(change) {
      own = change
      inner.publish?.(change)
    },
  }
  if (inner.add) namespace.add = through(inner.add.bind(inner), (key) => [key])
  if (inner.incr) namespace.incr = through(inner.incr.bind(inner), (key) => [key])
  if (inner.touch) namespace.touch = through(inner.touch.bind(inner), (key) => [key])
  if (inner.deleteLive) namespace.deleteLive = through(inner.deleteLive.bind(inner), (keys) => keys)
  if (inner.subscribe) namespace.subscribe = inner.subscribe.bind(inner)
  if (inner.lock) namespace.lock = inner.lock.bind(inner)
  if (inner.elect) namespace.elect = inner.elect.bind(inner)
  return namespace
}
