import { BROWSER_FILE } from "./build-target.js"
import { InvalidArgumentError } from "./errors.js"
import type { Store } from "./types.js"
import { checkOptions, checkTimeout, checkVersion, describe, meant, type Version } from "./validate.js"

/** Which store a {@link Cache} uses: a kind to pick, or a store object. */
export type StoreOption = "auto" | "indexeddb" | "memory" | Store

/** Options of `new Cache(options)`. Every one is optional. */
export interface CacheOptions {
  /**
   * The namespace. Caches of one name share their entries (in IndexedDB across the tabs of an
   * origin, in memory within one process); caches of different names never see each other.
   * @defaultValue `"isocache"`
   */
  readonly name?: string | undefined
  /**
   * Where entries live. `"auto"` uses IndexedDB when it exists and opens, else memory (in a browser,
   * with a warning); `"indexeddb"` fails when IndexedDB cannot be used; `"memory"` keeps entries in
   * this process; or pass a {@link Store} object.
   * @defaultValue `"auto"`
   */
  readonly store?: StoreOption | undefined
  /**
   * The default timeout in seconds of every write that gives none; `null` = never expire.
   * @defaultValue `null`
   */
  readonly timeout?: number | null | undefined
  /**
   * The default version of every call that gives none (a string or a number; `1` and `"1"` are the
   * same version). Unset = the unversioned space.
   * @defaultValue none
   */
  readonly version?: Version | null | undefined
  /**
   * The time now, in epoch milliseconds. Tests pass a fake clock to move time without sleeping.
   * @defaultValue `Date.now`
   */
  readonly clock?: (() => number) | undefined
  /**
   * For the memory store (chosen or fallen back to): the most entries of this cache's name it keeps,
   * evicting the least recently used. The caches of one name on one store share this bound; stores
   * that cannot keep one (IndexedDB, Redis) reject it when the cache connects. `null` = unbounded.
   * @defaultValue `null`
   */
  readonly maxEntries?: number | null | undefined
  /**
   * Seconds between two sweeps of expired entries while connected (one also runs on connect);
   * `null` = sweep only when {@link Cache.sweep} is called.
   * @defaultValue `60`
   */
  readonly sweepInterval?: number | null | undefined
  /**
   * The default `staleWhileRevalidate` of every write that gives none: seconds after its expiry during
   * which `getOrSet` returns an entry's stale value at once and refreshes it in the background;
   * `null` = none.
   * @defaultValue `null`
   */
  readonly staleWhileRevalidate?: number | null | undefined
  /**
   * The default `staleIfError` of every write that gives none: seconds after its expiry during which
   * `getOrSet` returns an entry's stale value when its factory fails; `null` = none.
   * @defaultValue `null`
   */
  readonly staleIfError?: number | null | undefined
  /**
   * Called with the error of a background refresh (a `getOrSet` within `staleWhileRevalidate`), which
   * no caller receives; the stale entry stays as it was. A listener that throws is ignored.
   * @defaultValue none
   */
  readonly onRefreshError?: ((error: unknown, key: string) => void) | undefined
}

/** The options once checked, with their defaults. */
export interface ResolvedOptions {
  readonly name: string
  readonly store: StoreOption
  readonly timeout: number | null
  readonly version: string
  readonly clock: () => number
  readonly maxEntries: number | null
  readonly sweepInterval: number | null
  readonly staleWhileRevalidate: number | null
  readonly staleIfError: number | null
  readonly onRefreshError: ((error: unknown, key: string) => void) | null
  /** The Redis server of a `redis://` or `rediss://` cache URL (unless `store` overrides it), else `null`. */
  readonly redisUrl: string | null
}

/** What a cache URL yields: options, and for the Redis schemes the server's URL. */
export interface UrlOptions extends CacheOptions {
  readonly redisUrl?: string
}

/** The options `new Cache()` takes. */
const cacheOptions = [
  "name",
  "store",
  "timeout",
  "version",
  "clock",
  "maxEntries",
  "sweepInterval",
  "staleWhileRevalidate",
  "staleIfError",
  "onRefreshError",
]

/** The longest `sweepInterval`, in seconds: what `setTimeout` can wait (2^31 - 1 ms). */
const MAX_SWEEP_INTERVAL = 2_147_483

const storeKinds = new Set(["auto", "indexeddb", "memory"])
// The browser file has no Redis store: there, redis:// is an unknown scheme.
const redisSchemes = new Set(BROWSER_FILE ? [] : ["redis", "rediss"])
const storeMethods = ["open"] as const

function checkStore(store: unknown): StoreOption {
  if (typeof store === "string" && storeKinds.has(store)) return store as StoreOption
  if (typeof store === "object" && store !== null) {
    const missing = storeMethods.filter((m) => typeof (store as Record<string, unknown>)[m] !== "function")
    if (missing.length === 0 && typeof (store as { kind?: unknown }).kind === "string") return store as Store
    throw new InvalidArgumentError(
      `options.store must be a Store (with a kind and open(), such as createMemoryStore())`,
    )
  }
  throw new InvalidArgumentError(
    `options.store must be "auto", "indexeddb", "memory" or a Store object, got ${describe(store)}`,
  )
}

function checkMaxEntries(value: unknown, argument: string): number | null {
  if (value === undefined || value === null) return null
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value
  throw new InvalidArgumentError(`${argument} must be a positive integer or null, got ${describe(value)}`)
}

// The server part of a Redis cache URL, for node-redis: `redis[s]://[[user][:password]@]host[:port][/db]`.
function redisServerUrl(scheme: string, rest: string): string {
  const server = `${scheme}://${rest}`
  let parsed: URL | null = null
  try {
    parsed = new URL(server)
  } catch {
    // Reported below.
  }
  if (!parsed?.hostname || !/^\/?\d*$/.test(parsed.pathname)) {
    // The URL is not echoed: it may hold a password.
    throw new InvalidArgumentError(
      `A Redis cache URL must look like "${scheme}://[[user][:password]@]host[:port][/db]?name=my-app"`,
    )
  }
  return server
}

/**
 * Parses `scheme://name?query` into options. The scheme picks the store (`auto`, `indexeddb`,
 * `memory`); the rest is the name; the query may hold `timeout`, `version`, `maxEntries` and
 * `sweepInterval` (`timeout=null` or `timeout=none` for "never expire"). For `redis:` and `rediss:`,
 * the rest is the server (`redis://[[user][:password]@]host[:port][/db]`), and the query holds the
 * name (`name=my-app`) beside `timeout`, `version` and `sweepInterval`.
 */
export function parseCacheUrl(url: string): UrlOptions {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^?#]*)(?:\?([^#]*))?$/.exec(url)
  if (!match)
    throw new InvalidArgumentError(`Cache URL must look like "indexeddb://name?timeout=60", got ${JSON.stringify(url)}`)
  const [, scheme = "", rawName = "", query = ""] = match
  const store = scheme.toLowerCase()
  const redis = !BROWSER_FILE && redisSchemes.has(store)
  if (!storeKinds.has(store) && !redis) {
    throw new InvalidArgumentError(
      `Unknown cache URL scheme "${scheme}:" (expected auto:, indexeddb:, memory:, redis: or rediss:)`,
    )
  }
  let name: string
  try {
    name = decodeURIComponent(rawName)
  } catch {
    throw new InvalidArgumentError(`Cache URL has a badly encoded name: ${JSON.stringify(rawName)}`)
  }
  const options: { -readonly [K in keyof UrlOptions]: UrlOptions[K] } = redis
    ? { redisUrl: redisServerUrl(store, rawName) }
    : { store: store as StoreOption }
  if (name && !redis) options.name = name
  const seconds = (key: string, text: string): number | null => {
    if (text === "null" || text === "none") return null
    const value = text.trim() === "" ? Number.NaN : Number(text)
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(
        `Cache URL query ${key}=${JSON.stringify(text)} must be a positive number of seconds or "null"`,
      )
    }
    return value
  }
  for (const [key, text] of new URLSearchParams(query)) {
    if (key === "timeout") options.timeout = seconds(key, text)
    else if (key === "sweepInterval") options.sweepInterval = seconds(key, text)
    else if (key === "version") options.version = text
    else if (key === "name" && redis) options.name = text
    else if (key === "maxEntries" && !redis)
      options.maxEntries = checkMaxEntries(text === "null" ? null : Number(text), "Cache URL query maxEntries")
    else {
      const known = ["timeout", "version", redis ? "name" : "maxEntries", "sweepInterval"]
      const guess = meant(key, known)
      throw new InvalidArgumentError(
        `Unknown cache URL query parameter "${key}"${guess ? `; did you mean "${guess}"?` : ""} (expected ${known.join(", ")})`,
      )
    }
  }
  return options
}

/**
 * Checks the constructor's arguments and fills in the defaults.
 * @throws InvalidArgumentError naming the first bad option
 */
export function resolveOptions(
  urlOrOptions: string | CacheOptions | undefined,
  overrides: CacheOptions | undefined,
): ResolvedOptions {
  let base: UrlOptions
  if (typeof urlOrOptions === "string") base = parseCacheUrl(urlOrOptions)
  else if (urlOrOptions === undefined) base = {}
  else if (typeof urlOrOptions === "object" && urlOrOptions !== null)
    base = checkOptions(urlOrOptions, cacheOptions, "new Cache(options)")
  else throw new InvalidArgumentError(`Cache options must be an object or a URL string, got ${describe(urlOrOptions)}`)
  checkOptions(overrides, cacheOptions, "new Cache(url, options)")
  // Explicit options win over the URL's query; an option given as undefined counts as not given.
  const pick = <K extends keyof CacheOptions>(key: K): CacheOptions[K] =>
    overrides?.[key] !== undefined ? overrides[key] : base[key]

  const name = pick("name") ?? "isocache"
  if (typeof name !== "string" || name === "") {
    throw new InvalidArgumentError(`options.name must be a non-empty string, got ${describe(name)}`)
  }
  const clock = pick("clock") ?? Date.now
  if (typeof clock !== "function")
    throw new InvalidArgumentError(`options.clock must be a function, got ${describe(clock)}`)
  const sweepInterval = checkTimeout(pick("sweepInterval"), 60, "options.sweepInterval", MAX_SWEEP_INTERVAL)
  const onRefreshError = pick("onRefreshError") ?? null
  if (onRefreshError !== null && typeof onRefreshError !== "function")
    throw new InvalidArgumentError(`options.onRefreshError must be a function, got ${describe(onRefreshError)}`)
  return {
    name,
    store: checkStore(pick("store") ?? "auto"),
    timeout: checkTimeout(pick("timeout"), null, "options.timeout"),
    version: checkVersion(pick("version"), "", "options.version"),
    clock,
    maxEntries: checkMaxEntries(pick("maxEntries"), "options.maxEntries"),
    sweepInterval,
    staleWhileRevalidate: checkTimeout(pick("staleWhileRevalidate"), null, "options.staleWhileRevalidate"),
    staleIfError: checkTimeout(pick("staleIfError"), null, "options.staleIfError"),
    onRefreshError,
    // An explicit store option wins over the URL's server, as every option wins over the URL.
    redisUrl: overrides?.store === undefined ? (base.redisUrl ?? null) : null,
  }
}
