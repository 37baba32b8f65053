/**
 * The storage interface every store implements, and the types shared by the cache and its stores.
 * A store holds only storage primitives: validation, defaults, versions, timeouts and the expiry
 * re-check live once, in {@link Cache}.
 * @packageDocumentation
 */

/**
 * Where an entry lives: its version (the empty string is the unversioned space) and its key, as a
 * compound key. Never join the two into one string: ("a", "b:c") and ("a:b", "c") must stay apart.
 */
export type StoreKey = readonly [version: string, key: string]

/**
 * A string that stands for a store key, for maps: injective, since the version's length says where it
 * ends, so ("a", "b:c") and ("a:b", "c") stay apart.
 * @internal
 */
export const keyId = ([version, key]: StoreKey): string => `${version.length}:${version}${key}`

/** One stored entry. */
export interface StoreEntry {
  /** The value: checked to be storable, and a private copy that the store may keep as it is. */
  readonly value: unknown
  /** When the entry expires, in epoch milliseconds; `null` = never. Expired when `now >= expiresAt`. */
  readonly expiresAt: number | null
  /**
   * How long after `expiresAt` the entry may still be served stale, for an expiring entry written
   * with stale windows; absent otherwise. A store keeps the entry (and these windows with it) until
   * {@link removalTime}, and sweeps it only then. A store that drops this field still behaves
   * correctly: it only loses the stale serving.
   */
  readonly stale?: StaleWindows | undefined
}

/** The stale windows of an entry, in milliseconds after its expiry. */
export interface StaleWindows {
  /** Within it, `getOrSet` returns the stale value at once and refreshes it in the background. */
  readonly whileRevalidate: number
  /** Within it, `getOrSet` returns the stale value when the factory fails. */
  readonly ifError: number
}

/**
 * When a store may delete an entry: its expiry, or the end of its longer stale window; `null` = never.
 * Stores sweep by this time (and Redis expires keys at it).
 */
export const removalTime = (entry: StoreEntry): number | null =>
  entry.expiresAt === null || !entry.stale
    ? entry.expiresAt
    : entry.expiresAt + Math.max(entry.stale.whileRevalidate, entry.stale.ifError)

/**
 * What an {@link StoreNamespace.update} function decides for each key it was given, in the same order:
 * `undefined` leaves the entry as it is, `null` deletes it, an entry replaces it.
 */
export type StoreWrite = StoreEntry | null | undefined

/** The outcome of an {@link StoreNamespace.update} function: the writes to make and the result to return. */
export interface StoreUpdate<R> {
  /** One write per key given to `update`, in the same order. */
  readonly writes: readonly StoreWrite[]
  /** What `update` resolves to once the writes are committed. */
  readonly result: R
}

/**
 * What {@link StoreNamespace.incr} found: the new value once added, no live entry, or a live entry
 * whose value is not a number (given, for the error).
 */
export type StoreIncrResult =
  | {
      /** Added: the entry now holds `value`. */
      readonly status: "added"
      /** The new value. */
      readonly value: number
    }
  | {
      /** No live entry: nothing written. */
      readonly status: "missing"
    }
  | {
      /** A live entry whose value is not a number: nothing written. */
      readonly status: "notANumber"
      /** The entry's value. */
      readonly value: unknown
    }

/**
 * A storage backend: a connection to a backend, not a namespace. Stores created by isocache are plain
 * objects returned by a factory (`createMemoryStore`, `createIndexedDBStore`, `createRedisStore`),
 * none of which takes a name; a user can pass their own as the `store` option. A cache opens its
 * namespace (its `name`) on the store; one store object serves caches of many names, each fully
 * isolated.
 */
export interface Store {
  /** A short name of the kind of store, such as `"memory"` or `"indexeddb"`. */
  readonly kind: string
  /**
   * Opens the namespace `name` of this backend: the operations on its entries, and on nothing else.
   * @param name - the cache's name
   * @param options - `maxEntries`: the bound of the cache that opens it (`null` = none). The caches of
   *   one name on one backend share one bound; a store that cannot keep a bound rejects a non-null one.
   * @throws StoreUnavailableError when the backend cannot be opened
   * @throws InvalidArgumentError for a bound the store cannot keep, or one that differs from
   *   the bound another cache of that name already keeps there
   */
  open(name: string, options: NamespaceOptions): Promise<StoreNamespace>
}

/**
 * A committed change, as a cache's subscribers receive it (see `Cache.subscribe`): one per call
 * that wrote.
 */
export interface ChangeEvent {
  /**
   * `"set"` for `set`, `setMany`, `add` and `getOrSet` when they stored, `touch`, `incr` and `decr`;
   * `"delete"` for `delete` and `deleteMany` of live entries; `"clear"` for `clear`.
   */
  readonly type: "set" | "delete" | "clear"
  /** The keys the call wrote, or the live keys it deleted; `[]` for `"clear"`. */
  readonly keys: readonly string[]
  /** The version written, in its string form; `null` for the unversioned space and for `"clear"`. */
  readonly version: string | null
  /** `true` when the change was made through the very `Cache` object that receives it. */
  readonly local: boolean
}

/** A change as stores carry it between tabs, workers and processes: a {@link ChangeEvent} without `local`. */
export type StoreChange = Omit<ChangeEvent, "local">

/** What a cache asks of the namespace it opens (see {@link Store.open}). */
export interface NamespaceOptions {
  /**
   * The most entries the namespace keeps (entries past their removal time evicted first, then the
   * least recently used or written); `null` = unbounded.
   */
  readonly maxEntries: number | null
  /** The cache's clock (epoch ms), to tell expired entries when evicting. Omitted: `Date.now`. */
  readonly now?: () => number
}

/**
 * The entries of one cache name on one store: what a `Cache` calls. Every method may be called after
 * `close()` (it reopens). Each method is all-or-nothing: when it rejects, nothing was written.
 */
export interface StoreNamespace {
  /** Ends this cache's use of the backend (the connection closes once no namespace uses it). Data stays. */
  close(): Promise<void>
  /**
   * Reads entries in one read transaction, expired ones included (the cache filters them). The
   * values returned are the caller's own copies: changing them must not change the store.
   * @param keys - the keys to read; duplicates allowed
   * @returns one entry or `undefined` per key, in order
   */
  getMany(keys: readonly StoreKey[]): Promise<Array<StoreEntry | undefined>>
  /**
   * Optional: what {@link StoreNamespace.getMany} would resolve to now, given synchronously, or
   * `undefined` when the store cannot tell without waiting (a memory front missing a key, say). A
   * cache calls it, before `getMany`, only when every call it issued before has reached the store.
   * @param keys - the keys to read; duplicates allowed
   * @returns one entry or `undefined` per key, in order (copies, as `getMany` gives), or `undefined`
   */
  peek?(keys: readonly StoreKey[]): Array<StoreEntry | undefined> | undefined
  /**
   * Writes entries in one write transaction: all or none.
   * @param entries - key and entry pairs; a later pair for the same key wins
   */
  setMany(entries: ReadonlyArray<readonly [StoreKey, StoreEntry]>): Promise<void>
  /**
   * An atomic read-modify-write over some keys in ONE read-write transaction: reads the entries,
   * calls `fn` synchronously with them, makes the writes it returns, and resolves to its result. If
   * `fn` throws, nothing is written and the error is rethrown. `fn` may be called more than once
   * (when the store retries after a lost connection), so it must have no side effects.
   * @param keys - distinct keys
   * @param fn - decides the writes from the current entries (expired ones included)
   */
  update<R>(
    keys: readonly StoreKey[],
    fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>,
  ): Promise<R>
  /**
   * Optional, each of the four: the cache's own read-modify-writes, for a store that can make them in
   * one step of its own (a Redis script) rather than by {@link StoreNamespace.update}. A cache calls
   * them when the store has them, with `now` from its clock (an entry is live when it never expires
   * or `now < expiresAt`), and `update` otherwise; each is atomic, as `update` is.
   *
   * `add` stores `entry` at `key` unless a live entry is there.
   * @returns `null` once stored, else the live entry that was there (nothing written)
   */
  add?(key: StoreKey, entry: StoreEntry, now: number): Promise<StoreEntry | null>
  /**
   * Optional (see {@link StoreNamespace.add}): adds `delta` to the value of a live numeric entry, which
   * keeps its expiry and stale windows.
   * @returns what it found; nothing is written unless it added
   */
  incr?(key: StoreKey, delta: number, now: number): Promise<StoreIncrResult>
  /**
   * Optional (see {@link StoreNamespace.add}): gives a live entry the expiry `expiresAt` (`null` =
   * never). It keeps its stale windows, counted from the new expiry, unless it no longer expires.
   * @returns whether the key had a live entry
   */
  touch?(key: StoreKey, expiresAt: number | null, now: number): Promise<boolean>
  /**
   * Optional (see {@link StoreNamespace.add}): deletes the entries at `keys` (distinct), live or not.
   * @returns per key, in order, whether it held a live entry
   */
  deleteLive?(keys: readonly StoreKey[], now: number): Promise<boolean[]>
  /**
   * Every entry of `version` (its string form), as `[key, entry]` pairs sorted by key in JavaScript's
   * default string order, expired ones included (the cache leaves them out), read as one consistent
   * snapshot. The values are copies the caller may keep.
   */
  list(version: string): Promise<Array<readonly [key: string, entry: StoreEntry]>>
  /** Removes every entry of this store (of this cache name only). */
  clear(): Promise<void>
  /**
   * Deletes at most `limit` entries whose `expiresAt <= now`, in one write transaction. A store may
   * find them ahead, in an earlier transaction, if it checks each again before deleting it.
   * @returns how many entries were deleted: `limit` means more may be left (the cache calls again);
   *   less means none is left that this call could reach (a later sweep takes the rest)
   */
  sweep(now: number, limit: number): Promise<number>
  /**
   * What this namespace's entries live on, for the changes made in this realm (this page, worker or
   * process): a cache's change reaches the other subscribed caches of its name in the realm whose
   * namespaces give the same `backend`, at once. Omitted = the {@link Store} object.
   */
  readonly backend?: unknown
  /**
   * Optional: tells the caches of this name in other realms (tabs, workers, processes) of a change
   * committed through this namespace. Never delivered back into this realm.
   */
  publish?(change: StoreChange): void
  /**
   * Optional: listens to the changes that other realms publish (see {@link StoreNamespace.publish}),
   * holding a channel or connection only until the returned function is called.
   */
  subscribe?(listener: (change: StoreChange) => void): () => void
  /**
   * Optional: runs `fn` while holding an exclusive lock on `key` shared with the other realms of this
   * backend, so that one tab or process at a time computes a missing entry. A `Cache` reads the entry
   * again under the lock: another holder may have stored it, even one that came and went before this
   * call asked for the lock.
   */
  lock?<T>(key: StoreKey, fn: () => Promise<T>): Promise<T>
  /**
   * Optional: asks to be this backend's sweeper for this name. `onElected` is called once this
   * namespace holds the role, which it keeps until the returned function is called (or its realm
   * ends, when another candidate takes over). Without it, every cache sweeps.
   */
  elect?(onElected: () => void): () => void
}
