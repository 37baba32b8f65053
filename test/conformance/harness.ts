import { Cache, type CacheOptions, type Store } from "../../src/index.js"

/** What the conformance suite needs to know of the store under test. */
export interface ConformanceTarget {
  /** The store's `kind`; without `makeStore`, also the `store` option and URL scheme that select it. */
  readonly kind: string
  /** A fresh store object of that kind (to wrap, spy on, or pass as `store`). */
  createStore(): Store
  /**
   * For a store no `store` string selects (Redis, on a server the test started): the `store` option of
   * every cache the suite builds, in place of `store: kind`.
   */
  makeStore?(): Store
  /**
   * The URL of a cache of `name` with `query`; without it, `${kind}://${name}?${query}` for the kinds a
   * URL scheme selects, and none (`null`) for a custom store.
   */
  cacheUrl?(name: string, query: string): string
  /** How many entries the storage of `name` holds, expired ones not yet swept included. */
  rawCount(name: string): Promise<number>
  /**
   * Whether reads return one deep-frozen value shared by every reader rather than a copy each (a
   * memory front with `frozen: true`): changing a value read then throws instead.
   */
  readonly sharesFrozenValues?: boolean
}

/** A clock the test moves by hand: expiry is tested without sleeping. */
export interface FakeClock {
  readonly now: () => number
  advance(ms: number): void
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let time = start
  return {
    now: () => time,
    advance(ms) {
      time += ms
    },
  }
}

export const uniqueName = (): string => `t-${crypto.randomUUID()}`

/** Everything a conformance case gets: its target, a fake clock, and caches on fresh names. */
export interface Context {
  readonly target: ConformanceTarget
  readonly clock: FakeClock
  /** A cache on a fresh name (or `options.name`), on the target store, driven by `clock`. */
  cache(options?: CacheOptions): Cache
  /** The `store` option that selects the target store. */
  storeOption(): CacheOptions["store"]
  /** The URL of a cache of `name` on the target store, with `query`, or `null` when no URL selects it. */
  url(name: string, query: string): string | null
  /** Raw entry count of the storage behind `cache`. */
  rawCount(cache: Cache): Promise<number>
  /** A cache on a fresh name whose store counts the calls made to each of its methods. */
  counted(options?: CacheOptions): { cache: Cache; calls: Record<string, number> }
}

export function makeContext(target: ConformanceTarget, opened: Cache[]): Context {
  const clock = fakeClock()
  const storeOption = (): CacheOptions["store"] => {
    if (target.makeStore) return target.makeStore()
    if (target.kind !== "memory" && target.kind !== "indexeddb")
      throw new Error(`a ${target.kind} target needs makeStore: no store string selects it`)
    return target.kind
  }
  return {
    target,
    clock,
    cache(options = {}) {
      const name = options.name ?? uniqueName()
      const cache = new Cache({
        clock: clock.now,
        sweepInterval: null,
        ...options,
        name,
        store: options.store ?? storeOption(),
      })
      opened.push(cache)
      return cache
    },
    storeOption,
    url: (name, query) =>
      target.cacheUrl
        ? target.cacheUrl(name, query)
        : ["memory", "indexeddb"].includes(target.kind)
          ? `${target.kind}://${name}?${query}`
          : null,
    rawCount: (cache) => target.rawCount(cache.name),
    counted(options = {}) {
      const name = options.name ?? uniqueName()
      const inner = target.createStore()
      const calls: Record<string, number> = {}
      // Counts the calls made to the namespace the cache opens.
      const count = <T extends object>(object: T): T =>
        new Proxy(object, {
          get(obj, prop, receiver) {
            const value: unknown = Reflect.get(obj, prop, receiver)
            if (typeof value !== "function" || typeof prop !== "string") return value
            return (...args: unknown[]) => {
              calls[prop] = (calls[prop] ?? 0) + 1
              return (value as (...a: unknown[]) => unknown).apply(obj, args)
            }
          },
        })
      const store: Store = {
        kind: inner.kind,
        async open(name, openOptions) {
          calls.open = (calls.open ?? 0) + 1
          return count(await inner.open(name, openOptions))
        },
      }
      return { cache: this.cache({ ...options, name, store }), calls }
    },
  }
}
