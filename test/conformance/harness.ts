import { Cache, type CacheOptions, type Store } from "../../src/index.js"

/** What the conformance suite needs to know of the store under test. */
export interface ConformanceTarget {
  /** The `store` option that selects it. */
  readonly kind: "memory" | "indexeddb"
  /** A fresh store object of that kind for `name` (to wrap, spy on, or pass as `store`). */
  createStore(name: string): Store
  /** How many entries the storage of `name` holds, expired ones not yet swept included. */
  rawCount(name: string): Promise<number>
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
  /** Raw entry count of the storage behind `cache`. */
  rawCount(cache: Cache): Promise<number>
  /** A cache on a fresh name whose store counts the calls made to each of its methods. */
  counted(options?: CacheOptions): { cache: Cache; calls: Record<string, number> }
}

export function makeContext(target: ConformanceTarget, opened: Cache[]): Context {
  const clock = fakeClock()
  return {
    target,
    clock,
    cache(options = {}) {
      const cache = new Cache({
        name: uniqueName(),
        store: target.kind,
        clock: clock.now,
        sweepInterval: null,
        ...options,
      })
      opened.push(cache)
      return cache
    },
    rawCount: (cache) => target.rawCount(cache.name),
    counted(options = {}) {
      const name = options.name ?? uniqueName()
      const inner = target.createStore(name)
      const calls: Record<string, number> = {}
      const store = new Proxy(inner, {
        get(obj, prop, receiver) {
          const value: unknown = Reflect.get(obj, prop, receiver)
          if (typeof value !== "function" || typeof prop !== "string") return value
          return (...args: unknown[]) => {
            calls[prop] = (calls[prop] ?? 0) + 1
            return (value as (...a: unknown[]) => unknown).apply(obj, args)
          }
        },
      })
      return { cache: this.cache({ ...options, name, store }), calls }
    },
  }
}
