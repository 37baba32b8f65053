import { BROWSER_FILE } from "./build-target.js"
import { announce, deliver, listen, type Receiver } from "./changes.js"
import { InvalidArgumentError, KeyNotFoundError, NotANumberError } from "./errors.js"
import { openStore } from "./open-store.js"
import { type CacheOptions, type ResolvedOptions, resolveOptions } from "./options.js"
import { snapshot } from "./storable.js"
import {
  type ChangeEvent,
  keyId as idOf,
  removalTime,
  type Store,
  type StoreChange,
  type StoreEntry,
  type StoreKey,
  type StoreNamespace,
} from "./types.js"
import {
  checkDelta,
  checkIterable,
  checkKey,
  checkOptions,
  checkTimeout,
  checkVersion,
  describe,
  invalid,
  LAST_DATE,
  tooLong,
  type Version,
} from "./validate.js"

/** The `version` option of a call. */
export interface VersionOptions {
  /**
   * The version of the key (a string or a number; `1` and `"1"` are the same version). Omitted →
   * the cache's default version; `null` → the unversioned space.
   */
  readonly version?: Version | null | undefined
}

/** The options of a write. */
export interface WriteOptions extends VersionOptions {
  /**
   * Seconds until the entry expires (fractions allowed); `null` → never; omitted → the cache's
   * default timeout. `0`, negatives, `NaN` and `Infinity` are rejected.
   */
  readonly timeout?: number | null | undefined
  /**
   * Seconds after its expiry during which `getOrSet` returns the entry's stale value at once and
   * refreshes it in the background; `null` → none; omitted → the cache's default. Only for an entry
   * with a timeout.
   */
  readonly staleWhileRevalidate?: number | null | undefined
  /**
   * Seconds after its expiry during which `getOrSet` returns the entry's stale value when its factory
   * fails; `null` → none; omitted → the cache's default. Only for an entry with a timeout.
   */
  readonly staleIfError?: number | null | undefined
}

/** The options of {@link Cache.getOrSet}. */
export interface GetOrSetOptions extends WriteOptions {
  /**
   * Runs the factory even when a live entry exists, and stores its result (a replace). If it fails,
   * the entry stored then is returned when live or within its `staleIfError` window.
   */
  readonly forceFresh?: boolean | undefined
}

/** What a `getOrSet` factory is told, and how it can change what is stored. */
export interface FactoryContext<T> {
  /** `true` for a background refresh of a stale entry (no caller waits for it). */
  readonly background: boolean
  /** The stale (or, with `forceFresh`, live) entry this call replaces, e.g. for a conditional request. */
  readonly stale:
    | {
        /** The stale value. */
        readonly value: T
        /** When it expired, in epoch milliseconds (`null`: it never expires, with `forceFresh`). */
        readonly expiresAt: number | null
      }
    | undefined
  /** The timeout the result is stored with, in seconds (`null` = never); set it from the value. */
  timeout: number | null
  /** Returns the result without storing it (a response not worth caching). */
  noCache(): void
}

/** A live or stale entry, as {@link Cache.getEntry} returns it. */
export interface CacheEntry<T> {
  /** The value (a copy). */
  readonly value: T
  /** When the entry expires (or expired, if stale), in epoch milliseconds; `null` = never. */
  readonly expiresAt: number | null
  /** `true` once expired, while within its stale windows. */
  readonly stale: boolean
}

/** What `setMany` accepts: a plain object, a `Map`, or any iterable of `[key, value]` pairs. */
export type Entries<T = unknown> = Readonly<Record<string, T>> | ReadonlyMap<string, T> | Iterable<readonly [string, T]>

/** A value or a function (sync or async) computing it, for {@link Cache.getOrSet}. */
export type ValueOrFactory<T> = T | ((context: FactoryContext<T>) => T | PromiseLike<T>)

// The options each call takes.
const readOptions = ["version"] as const
const writeOptions = ["timeout", "version", "staleWhileRevalidate", "staleIfError"] as const
const getOrSetOptions = [...writeOptions, "forceFresh"] as const

/** How a write stores its entries: timeout and stale windows, checked. */
interface WriteSettings {
  readonly timeout: number | null
  readonly stale: { readonly whileRevalidate: number; readonly ifError: number } | undefined
}

// Option names that make an object passed as get's default value read as an options object.
// (The same names as in the type DefaultValue below.)
const optionNames = ["version", "timeout", "default", "defaultValue"]

/**
 * `get(key, { version: 2 })` reads as a versioned read, but its second argument is the default value:
 * a plain object holding nothing but option names, passed without a third argument, is refused.
 */
function checkNotOptionsLike(defaultValue: unknown): void {
  const keys = typeof defaultValue === "object" ? Object.keys(defaultValue ?? {}) : []
  const proto: unknown = keys.length && Object.getPrototypeOf(defaultValue)
  if ((proto === Object.prototype || proto === null) && keys.every((key) => optionNames.includes(key)))
    throw new InvalidArgumentError(
      `get(key, { ${keys} }): that is the default value; write get(key, undefined, { version })`,
    )
}

/**
 * What `get(key, defaultValue)` accepts as a default value: anything but an object made only of
 * option names (`{ version: 2 }`), which would read as options; pass a third argument to use one.
 */
export type DefaultValue<D> = D extends object
  ? [keyof D] extends [never]
    ? D
    : [Exclude<keyof D, "version" | "timeout" | "default" | "defaultValue">] extends [never]
      ? never
      : D
  : D

// A store's one-round-trip read-modify-writes (StoreNamespace.add, incr, touch, deleteLive), used
// when it has them: the Redis store's. The browser file, which has no Redis store, always goes through
// `update`, which gives the same results.
const FAST_PATHS = !BROWSER_FILE

/** How many expired entries one sweep transaction deletes at most, so that no sweep blocks the page. */
const SWEEP_BATCH = 500

const isLive = (entry: StoreEntry | undefined, now: number): entry is StoreEntry =>
  entry !== undefined && (entry.expiresAt === null || now < entry.expiresAt)

/** Whether an expired entry is within its stale window `window` (a live one is not). */
const isStale = (
  entry: StoreEntry | undefined,
  now: number,
  window?: "whileRevalidate" | "ifError",
): entry is StoreEntry => {
  if (!entry?.stale || entry.expiresAt === null || now < entry.expiresAt) return false
  const end = window ? entry.expiresAt + entry.stale[window] : (removalTime(entry) as number)
  return now < end
}

/**
 * An async key-value cache with per-key expiry and versions, on IndexedDB in browsers and in memory
 * in Node (SSR) or wherever IndexedDB is missing.
 *
 * @example
 * ```ts
 * import { Cache } from "isocache"
 *
 * const cache = new Cache({ name: "api", timeout: 300 })
 * const user = await cache.getOrSet("user:42", () => fetch("/api/users/42").then((r) => r.json()))
 * await cache.incr("visits").catch(() => cache.set("visits", 1))
 * ```
 */
export class Cache {
  readonly #options: ResolvedOptions
  #store: Store | null = null
  #connecting: Promise<StoreNamespace> | null = null
  // The namespace once open (until disconnect), and how many calls wait for #connecting: with none
  // waiting, a call goes to the open namespace at once, in the order the calls were issued.
  #opened: StoreNamespace | null = null
  #waiting = 0
  #sweepTimer: ReturnType<typeof setTimeout> | null = null
  readonly #running = new Set<Promise<unknown>>()
  readonly #loading = new Map<string, Promise<unknown>>()
  readonly #refreshing = new Set<string>()
  // Counts disconnect() calls: a background refresh started before one stores nothing after it.
  #generation = 0
  // The listeners of subscribe(), one function per subscription.
  readonly #listeners = new Set<(event: ChangeEvent) => void>()
  // While there are listeners: this cache's receiver in the realm, and how to stop receiving.
  #receiver: Receiver | null = null
  #unlisten: (() => void) | null = null
  // Gives up the sweeper role (see StoreNamespace.elect).
  #resign: (() => void) | null = null

  /**
   * Creates a cache. Nothing is opened until {@link Cache.connect} or the first call.
   *
   * @param urlOrOptions - options, or a URL such as `"indexeddb://my-app"` or
   *   `"memory://my-app?timeout=60&version=2"` (scheme = store, rest = name, query = options)
   * @param options - with a URL: options that win over its query
   * @throws InvalidArgumentError for an unknown URL scheme, a bad query value or a bad option
   * @example
   * ```ts
   * const cache = new Cache("indexeddb://my-app?timeout=60", { version: 2 })
   * ```
   */
  constructor(urlOrOptions?: string | CacheOptions, options?: CacheOptions) {
    this.#options = resolveOptions(urlOrOptions, options)
  }

  /** The cache name (its namespace). */
  get name(): string {
    return this.#options.name
  }

  /** The default timeout in seconds, or `null` (never expire). */
  get timeout(): number | null {
    return this.#options.timeout
  }

  /** The default version, or `null` when calls without a version use the unversioned space. */
  get version(): string | null {
    return this.#options.version === "" ? null : this.#options.version
  }

  /**
   * The kind of store in use, such as `"indexeddb"` or `"memory"` (with `store: "auto"`, tells
   * whether it fell back to memory); `null` until the first connection.
   */
  get storeKind(): string | null {
    return this.#store?.kind ?? null
  }

  /**
   * Opens the store now rather than on the first call. Idempotent: concurrent calls open once.
   * @throws StoreUnavailableError when `store: "indexeddb"` cannot be opened
   */
  async connect(): Promise<void> {
    await this.#ready()
  }

  /**
   * Waits for the calls under way, stops the expiry sweeps and closes the store. The entries stay
   * (in IndexedDB, or in this process for the memory store); any later call reconnects. Harmless
   * when not connected.
   */
  async disconnect(): Promise<void> {
    this.#generation++
    const connecting = this.#connecting
    if (!connecting) return
    this.#connecting = null
    this.#opened = null
    this.#stopSweeps()
    this.#resign?.()
    this.#resign = null
    this.#listeners.clear()
    this.#stopListening()
    const store = await connecting.catch(() => null)
    await Promise.allSettled(this.#running)
    await store?.close()
  }

  /** Same as {@link Cache.disconnect}, for `await using cache = new Cache()`. */
  declare [Symbol.asyncDispose]: () => Promise<void>

  static {
    // Looked up at run time: older browsers lack Symbol.asyncDispose, and there the method is not defined.
    // (A symbol-keyed property: for...in and Object.keys never list it.)
    const dispose: symbol | undefined = Symbol.asyncDispose
    if (dispose) (Cache.prototype as unknown as Record<symbol, unknown>)[dispose] = Cache.prototype.disconnect
  }

  /**
   * Calls `listener` after each committed write of a cache of this name on this backend: this
   * object's own calls (`local: true`), the other `Cache` objects of this realm, and, where the store
   * carries them, other tabs and workers (IndexedDB) or processes (Redis). One event per call that
   * wrote; none for a failed or no-op call. A listener that throws is ignored. Works unbound, e.g.
   * as `useSyncExternalStore(cache.subscribe, …)`. Connects the cache; `disconnect()` ends every
   * subscription.
   *
   * @param listener - called with each {@link ChangeEvent}
   * @returns a function that ends this subscription (calling it again does nothing)
   * @throws InvalidArgumentError when `listener` is not a function
   * @example
   * ```ts
   * const stop = cache.subscribe(({ type, keys }) => console.log(type, keys))
   * ```
   */
  readonly subscribe = (listener: (event: ChangeEvent) => void): (() => void) => {
    if (typeof listener !== "function") throw invalid("listener", "a function", listener)
    const own = (event: ChangeEvent): void => listener(event)
    this.#listeners.add(own)
    if (!this.#receiver) this.#startListening()
    return () => {
      if (this.#listeners.delete(own) && !this.#listeners.size) this.#stopListening()
    }
  }

  /**
   * Reads the live value of a key.
   *
   * The second argument is always the default value. An object made only of option names
   * (`get(key, { version: 2 })`), passed without a third argument, is refused rather than taken for
   * either: write `get(key, undefined, { version: 2 })` to read a version.
   *
   * @param key - any string
   * @param defaultValue - returned when the key is missing or expired
   * @param options - `version`
   * @returns the value (a copy), or `defaultValue`
   * @throws InvalidArgumentError for a non-string key, a bad version, an unknown option, or a
   *   default value that reads as options
   * @example
   * ```ts
   * const theme = await cache.get("theme", "light")
   * const old = await cache.get("theme", undefined, { version: 1 })
   * ```
   */
  get<T = unknown, D = T>(key: string, defaultValue: D, options: VersionOptions | undefined): Promise<T | D>
  /**
   * Reads the live value of a key, in the cache's default version.
   * @param key - any string
   * @returns the value (a copy), or `undefined`
   * @throws InvalidArgumentError for a non-string key
   */
  get<T = unknown>(key: string): Promise<T | undefined>
  /**
   * Reads the live value of a key, in the cache's default version, or `defaultValue` (never an
   * object made only of option names: see the three-argument form).
   * @param key - any string
   * @param defaultValue - returned when the key is missing or expired
   * @returns the value (a copy), or `defaultValue`
   * @throws InvalidArgumentError for a non-string key, or a default value that reads as options
   */
  get<T = unknown, D = T>(key: string, defaultValue: D & DefaultValue<D>): Promise<T | D>
  async get(key: string, defaultValue?: unknown, options?: VersionOptions): Promise<unknown> {
    if (options === undefined) checkNotOptionsLike(defaultValue)
    const storeKey = this.#key(key, options, readOptions, "get")
    const entry = (FAST_PATHS ? this.#peek([storeKey])?.[0] : undefined) ?? (await this.#read(storeKey))
    return isLive(entry, this.#now()) ? entry.value : defaultValue
  }

  /**
   * Stores a value, replacing any entry of the key and its expiry.
   *
   * @param key - any string
   * @param value - any structured-cloneable value but `undefined` (a copy is stored)
   * @param options - `timeout` (seconds; `null` = never) and `version`
   * @throws InvalidArgumentError for a bad key, timeout or version
   * @throws NotStorableError for a value that cannot be stored faithfully (nothing is written)
   * @throws StorageQuotaError when the browser refuses the write for lack of space
   * @example
   * ```ts
   * await cache.set("user:42", { name: "Ada" }, { timeout: 60 })
   * ```
   */
  async set(key: string, value: unknown, options?: WriteOptions): Promise<void> {
    const [storeKey, entry] = this.#entry(key, value, options, "set")
    await this.#write(
      storeKey[0],
      (store) => store.setMany([[storeKey, entry]]),
      () => [key],
    )
  }

  /**
   * Stores a value only if the key has no live entry. Atomic: of many concurrent `add`s of one key
   * (across tabs too), exactly one returns `true`.
   *
   * @param key - any string
   * @param value - any storable value
   * @param options - `timeout` and `version`
   * @returns `true` if it stored the value, `false` if a live entry was there
   * @throws InvalidArgumentError, NotStorableError as {@link Cache.set}
   * @example
   * ```ts
   * if (await cache.add("lock:job", Date.now(), { timeout: 30 })) runJob()
   * ```
   */
  async add(key: string, value: unknown, options?: WriteOptions): Promise<boolean> {
    const [storeKey, entry] = this.#entry(key, value, options, "add")
    return this.#write(
      storeKey[0],
      (store) =>
        FAST_PATHS && store.add
          ? store.add(storeKey, entry, this.#now()).then((current) => current === null)
          : store.update([storeKey], ([current]) =>
              isLive(current, this.#now()) ? { writes: [undefined], result: false } : { writes: [entry], result: true },
            ),
      (added) => added && [key],
    )
  }

  /**
   * Returns the live value of a key; on a miss stores `value` (or what `factory()` returns) with
   * `add` semantics and returns it; if another writer stored a value first, returns that one.
   * Concurrent calls for one key on one cache share a single factory call. A factory that throws
   * stores nothing, and its error reaches every caller waiting for it.
   *
   * Stale entries are served as RFC 5861 serves them: within the entry's `staleWhileRevalidate`
   * window its stale value is returned at once and one background refresh runs (its failure goes to
   * the `onRefreshError` option, and leaves the stale entry); within `staleIfError` the factory runs,
   * and if it fails the stale value is returned instead of the error. The factory receives a
   * {@link FactoryContext}: whether it runs in the background, the stale entry, and a way to set the
   * timeout or not to store the result.
   *
   * @param key - any string
   * @param valueOrFactory - the value, or a function (sync or async) called only on a miss
   * @param options - `timeout`, `version`, `staleWhileRevalidate`, `staleIfError`, `forceFresh`
   * @returns the cached or newly stored value
   * @throws NotStorableError when the factory returns `undefined` or something not storable
   * @example
   * ```ts
   * const posts = await cache.getOrSet("posts", () => fetch("/api/posts").then((r) => r.json()), { timeout: 300 })
   * ```
   */
  async getOrSet<T>(key: string, valueOrFactory: ValueOrFactory<T>, options?: GetOrSetOptions): Promise<T> {
    const opts = checkOptions(options, getOrSetOptions, "getOrSet")
    const storeKey: StoreKey = [checkVersion(opts.version, this.#options.version, "options.version"), checkKey(key)]
    const settings = this.#settings(opts)
    const forceFresh = opts.forceFresh === true
    if (opts.forceFresh !== undefined && typeof opts.forceFresh !== "boolean")
      throw invalid("options.forceFresh", "a boolean", opts.forceFresh)
    const id = idOf(storeKey)
    // Calls that miss at once share one factory call: a call finding one under way waits for it.
    const joined = (): Promise<T> | undefined => (forceFresh ? undefined : (this.#loading.get(id) as Promise<T>))
    const waiting = joined()
    if (waiting) return waiting
    const found = (FAST_PATHS ? this.#peek([storeKey])?.[0] : undefined) ?? (await this.#read(storeKey))
    const now = this.#now()
    if (!forceFresh) {
      if (isLive(found, now)) return found.value as T
      const stale = found as StoreEntry | undefined
      if (isStale(stale, now, "whileRevalidate")) {
        this.#refresh(id, key, storeKey, valueOrFactory, settings, stale)
        return stale.value as T
      }
    }
    const started = joined()
    if (started) return started
    if (forceFresh) return this.#produce(key, storeKey, valueOrFactory, settings, found, "replace")
    const load = this.#once(storeKey, found, (entry) =>
      this.#produce(key, storeKey, valueOrFactory, settings, entry, "miss"),
    )
    this.#loading.set(id, load)
    try {
      return await load
    } finally {
      this.#loading.delete(id)
    }
  }

  /**
   * Reads a key's entry, live or stale, with its expiry: how a page tells the user how old the data
   * it shows is.
   *
   * @param key - any string
   * @param options - `version`
   * @returns `{ value, expiresAt, stale }` for a live entry (`stale: false`) or one within its stale
   *   windows (`stale: true`); `undefined` otherwise
   * @throws InvalidArgumentError for a bad key, version or options object
   * @example
   * ```ts
   * const entry = await cache.getEntry("/api/news")
   * if (entry?.stale) showBanner(`offline: data from ${new Date(entry.expiresAt ?? 0).toLocaleString()}`)
   * ```
   */
  async getEntry<T = unknown>(key: string, options?: VersionOptions): Promise<CacheEntry<T> | undefined> {
    const storeKey = this.#key(key, options, readOptions, "getEntry")
    const entry = (FAST_PATHS ? this.#peek([storeKey])?.[0] : undefined) ?? (await this.#read(storeKey))
    const now = this.#now()
    const live = isLive(entry, now)
    if (!live && !isStale(entry, now)) return undefined
    return { value: entry.value as T, expiresAt: entry.expiresAt, stale: !live }
  }

  // Runs the factory (or takes the value) and stores the result: with `add` semantics on a miss or a
  // refresh (a live entry another writer stored meanwhile wins), as a replace for forceFresh. A failure
  // falls back on the entry stored then when it is live or within its staleIfError window, except in
  // a refresh, whose failure goes to onRefreshError.
  async #produce<T>(
    key: string,
    storeKey: StoreKey,
    valueOrFactory: ValueOrFactory<T>,
    settings: WriteSettings,
    found: StoreEntry | undefined,
    mode: "miss" | "replace" | "refresh",
  ): Promise<T> {
    const generation = mode === "refresh" ? this.#generation : -1
    let store = true
    const context: FactoryContext<T> = {
      background: mode === "refresh",
      stale: found && { value: found.value as T, expiresAt: found.expiresAt },
      timeout: settings.timeout,
      noCache() {
        store = false
      },
    }
    let value: T
    try {
      value =
        typeof valueOrFactory === "function"
          ? await (valueOrFactory as (context: FactoryContext<T>) => T | PromiseLike<T>)(context)
          : valueOrFactory
    } catch (error) {
      if (mode === "refresh") throw error
      const current = await this.#read(storeKey)
      const now = this.#now()
      if (isLive(current, now) || isStale(current as StoreEntry | undefined, now, "ifError"))
        return (current as StoreEntry).value as T
      throw error
    }
    const stored = snapshot(key, value)
    // A refresh that outlived a disconnect() stores nothing: it would reconnect the cache behind the app.
    if (!store || (mode === "refresh" && generation !== this.#generation)) return value
    const timeout = checkTimeout(context.timeout, settings.timeout, "context.timeout")
    const entry = this.#entryOf(stored, { timeout, stale: settings.stale }, "context.timeout")
    const [result] = await this.#write(
      storeKey[0],
      (s) =>
        FAST_PATHS && s.add
          ? mode === "replace"
            ? s.setMany([[storeKey, entry]]).then((): [T, boolean] => [value, true])
            : s
                .add(storeKey, entry, this.#now())
                .then((current): [T, boolean] => (current ? [current.value as T, false] : [value, true]))
          : s.update<[T, boolean]>([storeKey], ([current]) =>
              mode !== "replace" && isLive(current, this.#now())
                ? { writes: [undefined], result: [current.value as T, false] }
                : { writes: [entry], result: [value, true] },
            ),
      ([, wrote]) => wrote && [key],
    )
    return result
  }

  // Runs `run` on a miss of `storeKey`, holding the store's lock on the key across
  // tabs or processes where it has one, and first reads what a holder stored, returning that when
  // live: even a call that did not wait for the lock (another tab may have held it and stored the
  // value between this call's read and its request, on a busy machine).
  async #once<T>(
    storeKey: StoreKey,
    found: StoreEntry | undefined,
    run: (found: StoreEntry | undefined) => Promise<T>,
  ): Promise<T> {
    const store = await this.#ready()
    if (!store.lock) return run(found)
    return store.lock(storeKey, async () => {
      const again = await this.#read(storeKey)
      return isLive(again, this.#now()) ? (again.value as T) : run(again ?? found)
    })
  }

  // One background refresh per key of this cache at a time. disconnect() does not wait for its
  // factory (a request may hang); what it returns after a disconnect() is not stored.
  #refresh<T>(
    id: string,
    key: string,
    storeKey: StoreKey,
    valueOrFactory: ValueOrFactory<T>,
    settings: WriteSettings,
    found: StoreEntry,
  ): void {
    if (this.#refreshing.has(id)) return
    // Not under the store's lock: a refresh is one per key of this cache, started at once.
    void this.#produce(key, storeKey, valueOrFactory, settings, found, "refresh")
      .then(
        () => {},
        (error: unknown) => {
          try {
            this.#options.onRefreshError?.(error, key)
          } catch {} // a throwing listener harms nobody
        },
      )
      .finally(() => {
        this.#refreshing.delete(id)
      })
    this.#refreshing.add(id)
  }

  /**
   * Reads many keys in one read transaction.
   *
   * @param keys - an iterable of strings; duplicates are fine
   * @param options - `version`
   * @returns a plain object of the live keys found (misses and expired keys are left out, so every
   *   property may be missing); a key such as `"__proto__"` is an own property like any other
   * @throws InvalidArgumentError when `keys` is not an iterable of strings
   * @example
   * ```ts
   * const { a, b } = await cache.getMany(["a", "b"])
   * ```
   */
  async getMany<T = unknown>(keys: Iterable<string>, options?: VersionOptions): Promise<Partial<Record<string, T>>> {
    const version = this.#version(options, readOptions, "getMany")
    const unique = [...new Set(this.#keys(keys))]
    const storeKeys = unique.map((key): StoreKey => [version, key])
    const entries = unique.length
      ? ((FAST_PATHS ? this.#peek(storeKeys) : undefined) ?? (await this.#use((store) => store.getMany(storeKeys))))
      : []
    const now = this.#now()
    // Object.fromEntries defines each key as an own property, "__proto__" included.
    return Object.fromEntries(
      unique.flatMap((key, i) => {
        const entry = entries[i]
        return isLive(entry, now) ? [[key, entry.value as T]] : []
      }),
    )
  }

  /**
   * The live keys of one version, sorted ascending (JavaScript's default string order, which is
   * IndexedDB's), read in one read transaction.
   *
   * @param options - `version` (default: the cache's default version)
   * @returns the keys
   * @throws InvalidArgumentError for a bad version or options object
   * @example
   * ```ts
   * const cached = await cache.keys() // ["user:1", "user:2"]
   * ```
   */
  async keys(options?: VersionOptions): Promise<string[]> {
    return (await this.#listLive(options, "keys")).map(([key]) => key)
  }

  /**
   * The live entries of one version as `[key, value]` pairs, sorted by key as {@link Cache.keys},
   * read in one read transaction. The values are copies.
   *
   * @param options - `version` (default: the cache's default version)
   * @returns the pairs
   * @throws InvalidArgumentError for a bad version or options object
   * @example
   * ```ts
   * for (const [key, value] of await cache.entries()) console.log(key, value)
   * ```
   */
  async entries<T = unknown>(options?: VersionOptions): Promise<Array<[string, T]>> {
    return (await this.#listLive(options, "entries")).map(([key, entry]) => [key, entry.value as T])
  }

  /**
   * Stores many entries in one write transaction: all of them, or none (a bad key or value anywhere
   * rejects the whole call before anything is written).
   *
   * @param entries - a plain object, a `Map`, or an iterable of `[key, value]` pairs
   * @param options - `timeout` and `version`, for every entry
   * @throws InvalidArgumentError, NotStorableError as {@link Cache.set}
   * @example
   * ```ts
   * await cache.setMany({ a: 1, b: 2 }, { timeout: 60 })
   * ```
   */
  async setMany(entries: Entries, options?: WriteOptions): Promise<void> {
    const opts = checkOptions(options, writeOptions, "setMany")
    const version = checkVersion(opts.version, this.#options.version, "options.version")
    const settings = this.#settings(opts)
    const pairs = this.#pairs(entries).map(
      ([key, value]) => [[version, key] as StoreKey, this.#entryOf(snapshot(key, value), settings)] as const,
    )
    if (pairs.length)
      await this.#write(
        version,
        (store) => store.setMany(pairs),
        () => [...new Set(pairs.map(([[, key]]) => key))],
      )
  }

  /**
   * Removes a key.
   * @param key - any string
   * @param options - `version`
   * @returns `true` if a live entry was removed
   * @throws InvalidArgumentError for a bad key or version
   */
  async delete(key: string, options?: VersionOptions): Promise<boolean> {
    return (await this.#deleteMany([this.#key(key, options, readOptions, "delete")])) === 1
  }

  /**
   * Removes many keys in one write transaction.
   * @param keys - an iterable of strings; duplicates count once
   * @param options - `version`
   * @returns how many live entries were removed
   * @throws InvalidArgumentError when `keys` is not an iterable of strings
   */
  async deleteMany(keys: Iterable<string>, options?: VersionOptions): Promise<number> {
    const version = this.#version(options, readOptions, "deleteMany")
    const unique = [...new Set(this.#keys(keys))]
    return this.#deleteMany(unique.map((key): StoreKey => [version, key]))
  }

  /** Removes every entry of this cache, of all versions; other caches are untouched. */
  async clear(): Promise<void> {
    await this.#write(
      "",
      (store) => store.clear(),
      () => [],
      "clear",
    )
  }

  /**
   * Sets a new expiry on a live entry, counted from now.
   * @param key - any string
   * @param timeout - seconds; `null` → never expire; omitted → the cache's default timeout
   * @param options - `version`
   * @returns `true` if the key had a live entry, `false` otherwise
   * @throws InvalidArgumentError for a bad key, timeout or version
   */
  async touch(key: string, timeout?: number | null, options?: VersionOptions): Promise<boolean> {
    const storeKey = this.#key(key, options, readOptions, "touch")
    const expiresAt = this.#expiresAt(checkTimeout(timeout, this.#options.timeout), "timeout")
    return this.#write(
      storeKey[0],
      (store) =>
        FAST_PATHS && store.touch
          ? store.touch(storeKey, expiresAt, this.#now())
          : store.update([storeKey], ([current]) =>
              isLive(current, this.#now())
                ? // The entry keeps its stale windows, counted from its new expiry.
                  {
                    writes: [expiresAt === null ? { value: current.value, expiresAt } : { ...current, expiresAt }],
                    result: true,
                  }
                : { writes: [undefined], result: false },
            ),
      (touched) => touched && [key],
    )
  }

  /**
   * Adds `delta` to a live numeric entry in one read-write transaction; the entry keeps its expiry.
   * No update is ever lost, even across tabs.
   *
   * @param key - any string
   * @param delta - a finite number
   * @param options - `version`
   * @returns the new value
   * @throws KeyNotFoundError when the key is missing or expired
   * @throws NotANumberError when the value is not a number
   * @throws InvalidArgumentError for a bad key, version or delta
   * @example
   * ```ts
   * await cache.set("hits", 0)
   * await cache.incr("hits") // 1
   * ```
   */
  async incr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    return this.#add(key, checkDelta(delta), options, "incr")
  }

  /**
   * Subtracts `delta` from a live numeric entry; see {@link Cache.incr}.
   * @param key - any string
   * @param delta - a finite number
   * @param options - `version`
   * @returns the new value
   * @throws KeyNotFoundError, NotANumberError, InvalidArgumentError as {@link Cache.incr}
   */
  async decr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    return this.#add(key, -checkDelta(delta), options, "decr")
  }

  /**
   * Deletes every expired entry from storage now, in bounded batches (this also runs on connect and
   * every `sweepInterval` seconds). Expired entries are invisible either way; this frees their space.
   * @returns how many entries were deleted
   */
  async sweep(): Promise<number> {
    return this.#use(async (store) => {
      let total = 0
      for (;;) {
        const removed = await store.sweep(this.#now(), SWEEP_BATCH)
        total += removed
        if (removed < SWEEP_BATCH) return total
        // Let the page breathe between two batches.
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
    })
  }

  #now(): number {
    return this.#options.clock()
  }

  // What the open store can tell at once (see StoreNamespace.peek), once every call issued before
  // has reached it. Called under FAST_PATHS only: the browser file has no store that peeks.
  #peek(keys: StoreKey[]): Array<StoreEntry | undefined> | undefined {
    return this.#waiting ? undefined : this.#opened?.peek?.(keys)
  }

  // A key's entry as stored, expired or not.
  async #read(storeKey: StoreKey): Promise<StoreEntry | undefined> {
    return (await this.#use((store) => store.getMany([storeKey])))[0]
  }

  // The expiry time of a write now; one past the last valid Date is refused (never kept by one store
  // and dropped by another).
  #expiresAt(timeout: number | null, argument: string): number | null {
    if (timeout === null) return null
    const expiresAt = this.#now() + timeout * 1000
    if (!(expiresAt <= LAST_DATE)) throw tooLong(argument, timeout, Math.floor((LAST_DATE - this.#now()) / 1000))
    return expiresAt
  }

  #version(options: VersionOptions | undefined, allowed: readonly string[], where: string): string {
    return checkVersion(checkOptions(options, allowed, where).version, this.#options.version, "options.version")
  }

  #key(key: string, options: VersionOptions | undefined, allowed: readonly string[], where: string): StoreKey {
    checkKey(key)
    return [this.#version(options, allowed, where), key]
  }

  #keys(keys: Iterable<string>): string[] {
    return [...checkIterable(keys, "keys")].map((key, i) => checkKey(key, `keys[${i}]`))
  }

  #entry(key: string, value: unknown, options: WriteOptions | undefined, where: string): [StoreKey, StoreEntry] {
    const storeKey = this.#key(key, options, writeOptions, where)
    const settings = this.#settings(options)
    return [storeKey, this.#entryOf(snapshot(key, value), settings)]
  }

  // A write's timeout and stale windows, checked (an expiry past the last Date is refused now).
  #settings(options: WriteOptions | undefined): WriteSettings {
    const [timeout, revalidate, ifError] = (["timeout", "staleWhileRevalidate", "staleIfError"] as const).map((name) =>
      checkTimeout(options?.[name], this.#options[name], `options.${name}`),
    )
    this.#expiresAt(timeout as number | null, "options.timeout")
    const stale =
      revalidate === null && ifError === null
        ? undefined
        : { whileRevalidate: (revalidate ?? 0) * 1000, ifError: (ifError ?? 0) * 1000 }
    return { timeout: timeout as number | null, stale }
  }

  // The entry a write stores now; stale windows only matter for an entry that expires.
  #entryOf(value: unknown, settings: WriteSettings, argument = "options.timeout"): StoreEntry {
    const expiresAt = this.#expiresAt(settings.timeout, argument)
    return expiresAt === null || !settings.stale ? { value, expiresAt } : { value, expiresAt, stale: settings.stale }
  }

  async #listLive(options: VersionOptions | undefined, where: string): Promise<Array<readonly [string, StoreEntry]>> {
    const version = this.#version(options, readOptions, where)
    const listed = await this.#use((store) => store.list(version))
    const now = this.#now()
    return listed.filter(([, entry]) => isLive(entry, now))
  }

  #pairs(entries: Entries): Array<readonly [string, unknown]> {
    if (typeof entries !== "object" || entries === null)
      throw invalid("entries", "an object, a Map or [key, value] pairs", entries)
    if (!(Symbol.iterator in entries)) return Object.entries(entries)
    return [...checkIterable(entries, "entries")].map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw invalid(`entries[${i}]`, "a [key, value] pair", pair)
      return [checkKey(pair[0], `entries[${i}][0] (a key)`), pair[1]] as const
    })
  }

  async #deleteMany(keys: StoreKey[]): Promise<number> {
    if (!keys.length) return 0
    const removed = await this.#write(
      (keys[0] as StoreKey)[0],
      (store) =>
        FAST_PATHS && store.deleteLive
          ? store.deleteLive(keys, this.#now()).then((live) => keys.filter((_, i) => live[i]).map(([, key]) => key))
          : store.update(keys, (current) => {
              const now = this.#now()
              return {
                writes: current.map((entry) => (entry ? null : undefined)),
                result: keys.filter((_, i) => isLive(current[i], now)).map(([, key]) => key),
              }
            }),
      (live) => live.length > 0 && live,
      "delete",
    )
    return removed.length
  }

  #add(key: string, delta: number, options: VersionOptions | undefined, where: string): Promise<number> {
    const storeKey = this.#key(key, options, readOptions, where)
    return this.#write(
      storeKey[0],
      async (store) => {
        if (FAST_PATHS && store.incr) {
          const found = await store.incr(storeKey, delta, this.#now())
          if (found.status === "missing") throw new KeyNotFoundError(key)
          if (found.status === "notANumber") throw new NotANumberError(key, describe(found.value))
          return found.value
        }
        return store.update([storeKey], ([current]) => {
          if (!isLive(current, this.#now())) throw new KeyNotFoundError(key)
          if (typeof current.value !== "number") throw new NotANumberError(key, describe(current.value))
          const value = current.value + delta
          return { writes: [{ ...current, value }], result: value }
        })
      },
      () => [key],
    )
  }

  #ready(): Promise<StoreNamespace> {
    // The failure handler runs once `connecting` is set.
    // biome-ignore lint/suspicious/noAssignInExpressions: the promise is kept and given in one step
    const connecting: Promise<StoreNamespace> = (this.#connecting ??= this.#open().catch((error: unknown) => {
      if (this.#connecting === connecting) this.#connecting = null
      throw error
    }))
    return connecting
  }

  // The store is picked once; a reconnection opens the cache's namespace on it again.
  async #open(): Promise<StoreNamespace> {
    const generation = this.#generation
    let namespace: StoreNamespace
    if (this.#store)
      namespace = await this.#store.open(this.#options.name, {
        maxEntries: this.#options.maxEntries,
        now: this.#options.clock,
      })
    else {
      const opened = await openStore(this.#options)
      this.#store = opened.store
      namespace = opened.namespace
    }
    // One sweeper per name and backend where the store can elect one (one tab of an origin).
    const sweepNow = (): void => this.#scheduleSweep(0)
    if (this.#options.sweepInterval !== null) {
      if (namespace.elect) this.#resign = namespace.elect(sweepNow)
      else sweepNow()
    }
    if (FAST_PATHS && generation === this.#generation) this.#opened = namespace
    return namespace
  }

  // Runs a write, and once it committed tells this cache's listeners, the realm's other subscribed
  // caches of the name, and other realms (through the store) of the keys `changed` says it wrote
  // (`false`: none, no event). `version` is the stored form ("" = unversioned).
  async #write<R>(
    version: string,
    run: (store: StoreNamespace) => Promise<R>,
    changed: (result: R) => string[] | false,
    type: ChangeEvent["type"] = "set",
  ): Promise<R> {
    return this.#use(async (store) => {
      const result = await run(store)
      const keys = changed(result)
      if (keys) {
        const change: StoreChange = { type, keys, version: version || null }
        // Published first: a store that fronts another tells its own change from the others' by it.
        store.publish?.(change)
        deliver(this.#listeners, change, true)
        announce(this.#options.name, change, store.backend ?? this.#store, this.#receiver)
      }
      return result
    })
  }

  // Starts receiving the changes other caches make: from this realm at once, from other realms once
  // connected (the store's channel).
  #startListening(): void {
    const receive: Receiver = (change, backend) => {
      const matches = (store: StoreNamespace): void => {
        if (this.#receiver === receive && (store.backend ?? this.#store) === backend)
          deliver(this.#listeners, change, false)
      }
      this.#connecting?.then(matches, () => {})
    }
    this.#receiver = receive
    const unlisten = listen(this.#options.name, receive)
    let stopChannel: (() => void) | undefined
    this.#unlisten = () => {
      unlisten()
      stopChannel?.()
    }
    this.#ready().then(
      (store) => {
        if (this.#receiver === receive)
          stopChannel = store.subscribe?.((change) => {
            if (this.#receiver === receive) deliver(this.#listeners, change, false)
          })
      },
      () => {}, // the next call reports the failure
    )
  }

  #stopListening(): void {
    this.#unlisten?.()
    this.#unlisten = null
    this.#receiver = null
  }

  // Runs a call on the open store, and keeps track of it so that disconnect() can wait for it.
  // Once open, with no call waiting for the store, a call goes to it at once (the browser file waits a
  // turn: it leaves the bookkeeping out).
  async #use<T>(call: (store: StoreNamespace) => Promise<T>): Promise<T> {
    const open = FAST_PATHS && !this.#waiting ? this.#opened : null
    const running = open ? call(open) : FAST_PATHS ? this.#queue(call) : this.#ready().then(call)
    this.#running.add(running)
    try {
      return await running
    } finally {
      this.#running.delete(running)
    }
  }

  // Runs a call once the store is open, after the calls waiting before it, counted in #waiting (used
  // under FAST_PATHS only).
  #queue<T>(call: (store: StoreNamespace) => Promise<T>): Promise<T> {
    this.#waiting++
    return this.#ready().then(
      (store) => {
        this.#waiting--
        return call(store)
      },
      (error: unknown) => {
        this.#waiting--
        throw error
      },
    )
  }

  #scheduleSweep(delay: number): void {
    const interval = this.#options.sweepInterval
    if (interval === null || this.#sweepTimer !== null) return
    const timer = setTimeout(() => {
      this.#sweepTimer = null
      this.sweep()
        .catch(() => {
          // A failed background sweep is retried at the next interval; the entries stay invisible.
        })
        .finally(() => {
          if (this.#connecting) this.#scheduleSweep(interval * 1000)
        })
    }, delay)
    // Never keep a Node process alive for a sweep.
    if (!BROWSER_FILE) (timer as { unref?: () => void }).unref?.()
    this.#sweepTimer = timer
  }

  #stopSweeps(): void {
    if (this.#sweepTimer !== null) clearTimeout(this.#sweepTimer)
    this.#sweepTimer = null
  }
}
