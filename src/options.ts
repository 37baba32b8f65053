import { BROWSER_FILE } from "./build-target.js"
import { InvalidArgumentError } from "./errors.js"
import type { Store } from "./types.js"
import {
  checkMaxEntries,
  checkOptions,
  checkTimeout,
  checkVersion,
  invalid,
  unknownOption,
  type Version,
} from "./validate.js"

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

/** The longest `sweepInterval`, in seconds: what `setTimeout` can wait (2^31 - 1 ms). */
const MAX_SWEEP_INTERVAL = 2_147_483

const storeKinds = ["auto", "indexeddb", "memory"]
// The browser file has no Redis store: there, redis:// is an unknown scheme.
const schemes = BROWSER_FILE ? storeKinds : [...storeKinds, "redis", "rediss"]

type Check = (value: unknown, argument: string) => unknown

const seconds =
  (fallback: number | null, max?: number): Check =>
  (value, argument) =>
    checkTimeout(value, fallback, argument, max)

const callback =
  (fallback: (() => number) | null): Check =>
  (value, argument) => {
    const given = value ?? fallback
    if (given !== null && typeof given !== "function") throw invalid(argument, "a function", given)
    return given
  }

/**
 * The options `new Cache()` takes, in the order they are checked: each one's check, which returns
 * its value with the default filled in.
 */
const checks: Record<keyof CacheOptions, Check> = {
  name(value, argument) {
    const name = value ?? "isocache"
    if (typeof name !== "string" || name === "") throw invalid(argument, "a non-empty string", name)
    return name
  },
  store: checkStore,
  timeout: seconds(null),
  version: (value, argument) => checkVersion(value, "", argument),
  clock: callback(Date.now),
  maxEntries: checkMaxEntries,
  sweepInterval: seconds(60, MAX_SWEEP_INTERVAL),
  staleWhileRevalidate: seconds(null),
  staleIfError: seconds(null),
  onRefreshError: callback(null),
}
const cacheOptions = Object.keys(checks)

function checkStore(value: unknown, argument: string): StoreOption {
  const store = (value ?? "auto") as Partial<Store> | string | null
  if (
    typeof store === "object"
      ? typeof store?.open === "function" && typeof store.kind === "string"
      : storeKinds.includes(store)
  )
    return store as StoreOption
  throw invalid(argument, '"auto", "indexeddb", "memory" or a Store (createMemoryStore())', store)
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
  const match = /^(\w+):\/\/([^?#]*)\??([^#]*)$/.exec(url)
  if (!match) throw invalid("A cache URL", 'like "indexeddb://name?timeout=60"', url)
  const [, scheme, rawName, query] = match as unknown as [string, string, string, string]
  const store = scheme.toLowerCase()
  if (!schemes.includes(store)) throw invalid("A cache URL's scheme", `one of ${schemes.join(", ")}`, scheme)
  const redis = !BROWSER_FILE && !storeKinds.includes(store)
  let name: string
  try {
    name = decodeURIComponent(rawName)
  } catch {
    throw invalid("A cache URL's name", "percent-encoded", rawName)
  }
  const options: Record<string, unknown> = redis ? { redisUrl: redisServerUrl(store, rawName) } : { store }
  if (name && !redis) options.name = name
  const known = ["timeout", "version", redis ? "name" : "maxEntries", "sweepInterval"]
  for (const [key, text] of new URLSearchParams(query)) {
    if (!known.includes(key)) throw unknownOption("A cache URL's query", key, known)
    // A version or a name as written; "null" (or "none", for a time) is null; else a number where the
    // text is one, or the text itself, refused as given.
    const value =
      key === "version" || key === "name"
        ? text
        : text === "null" || (text === "none" && key !== "maxEntries")
          ? null
          : Number(text) || text
    options[key] = checks[key as keyof CacheOptions](value, `A cache URL's ${key}`)
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
  else if (urlOrOptions === undefined || (typeof urlOrOptions === "object" && urlOrOptions !== null))
    base = checkOptions(urlOrOptions, cacheOptions, "new Cache(options)")
  else throw invalid("Cache options", "an object or a URL string", urlOrOptions)
  checkOptions(overrides, cacheOptions, "new Cache(url, options)")
  // Explicit options win over the URL's query; an option given as undefined counts as not given.
  const resolved: Record<string, unknown> = {}
  for (const key of cacheOptions as Array<keyof CacheOptions>)
    resolved[key] = checks[key](overrides?.[key] !== undefined ? overrides[key] : base[key], `options.${key}`)
  // An explicit store option wins over the URL's server, as every option wins over the URL.
  resolved.redisUrl = BROWSER_FILE || overrides?.store !== undefined ? null : (base.redisUrl ?? null)
  return resolved as unknown as ResolvedOptions
}
