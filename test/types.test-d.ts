// Type tests: checked by `tsc -p tsconfig.test.json` in `npm test`; an unused @ts-expect-error fails it.
import { expectTypeOf } from "vitest"
import { type SWRCacheLike, swrCacheProvider } from "../src/adapters/swr.js"
import { type FrontedStore, withMemoryFront } from "../src/front/index.js"
import {
  Cache,
  CacheError,
  type CacheOptions,
  type ChangeEvent,
  createMemoryStore,
  InvalidArgumentError,
  type Store,
} from "../src/index.js"
import { persistStorage, type StorageUsage, storageEstimate } from "../src/storage.js"

const cache = new Cache({ name: "types", timeout: 60, version: 1 })

expectTypeOf(cache.get("k")).toEqualTypeOf<Promise<unknown>>()
expectTypeOf(cache.get<number>("k")).toEqualTypeOf<Promise<number | undefined>>()
expectTypeOf(cache.get<number, string>("k", "none")).toEqualTypeOf<Promise<number | string>>()
expectTypeOf(cache.add("k", 1)).toEqualTypeOf<Promise<boolean>>()
expectTypeOf(cache.getOrSet("k", () => 1)).toEqualTypeOf<Promise<number>>()
expectTypeOf(cache.getOrSet("k", async () => ({ a: 1 }))).toEqualTypeOf<Promise<{ a: number }>>()
expectTypeOf(cache.getMany<number>(["a"])).toEqualTypeOf<Promise<Partial<Record<string, number>>>>()
expectTypeOf(cache.get("k", { theme: "dark" })).toEqualTypeOf<Promise<unknown>>()
expectTypeOf(cache.get<number, null>("k", null, { version: 2 })).toEqualTypeOf<Promise<number | null>>()
expectTypeOf(cache.get<{ version: number }>("k", { version: 1 }, {})).toEqualTypeOf<Promise<{ version: number }>>()
expectTypeOf(cache.get("k", {})).toEqualTypeOf<Promise<unknown>>()
expectTypeOf(cache.delete("k")).toEqualTypeOf<Promise<boolean>>()
expectTypeOf(cache.deleteMany(["k"])).toEqualTypeOf<Promise<number>>()
expectTypeOf(cache.touch("k")).toEqualTypeOf<Promise<boolean>>()
expectTypeOf(cache.incr("k")).toEqualTypeOf<Promise<number>>()
expectTypeOf(cache.decr("k", 2, { version: "v" })).toEqualTypeOf<Promise<number>>()
expectTypeOf(cache.keys()).toEqualTypeOf<Promise<string[]>>()
expectTypeOf(cache.entries()).toEqualTypeOf<Promise<Array<[string, unknown]>>>()
expectTypeOf(cache.entries<number>({ version: 2 })).toEqualTypeOf<Promise<Array<[string, number]>>>()
expectTypeOf(cache.storeKind).toEqualTypeOf<string | null>()
expectTypeOf(new InvalidArgumentError("x")).toExtend<TypeError>()
expectTypeOf(createMemoryStore()).toExtend<Store>()
expectTypeOf<CacheOptions["store"]>().toEqualTypeOf<"auto" | "indexeddb" | "memory" | Store | undefined>()

void cache.setMany({ a: 1 })
void cache.setMany(new Map([["a", 1]]))
void cache.setMany([["a", 1]])
void cache.set("k", 1, { timeout: null, version: 2 })

// @ts-expect-error a key must be a string
void cache.get(1)
// @ts-expect-error a key must be a string
void cache.set(["k"], 1)
// @ts-expect-error a timeout is a number or null
void cache.set("k", 1, { timeout: "60" })
// @ts-expect-error a version is a string or a number
void cache.set("k", 1, { version: {} })
// @ts-expect-error unknown store kind
void new Cache({ store: "localstorage" })
// @ts-expect-error getMany takes strings
void cache.getMany([1])
// @ts-expect-error keys takes an options object, not a version
void cache.keys(2)
// @ts-expect-error the second argument of get is the default value: { version } alone reads as options
void cache.get("k", { version: 2 })
// @ts-expect-error likewise for an object of nothing but option names
void cache.get("k", { version: 2, timeout: 5 })
// @ts-expect-error a miss is possible: getMany's properties may be undefined
export const sure: Record<string, number> = await cache.getMany<number>(["a"])
// @ts-expect-error ttl is not an option (timeout is)
void cache.set("k", 1, { ttl: 60 })
// @ts-expect-error ttl is not an option of the constructor either
void new Cache({ ttl: 60 })
// @ts-expect-error get takes no timeout
void cache.get("k", undefined, { timeout: 5 })

export async function narrowing(error: unknown): Promise<string | undefined> {
  await using scoped = new Cache({ store: "memory" })
  await scoped.get("k")
  if (error instanceof CacheError) return error.code
  return undefined
}

// Change events: the listener gets a ChangeEvent, subscribe returns the unsubscribe function.
const unsubscribe = cache.subscribe((event) => {
  expectTypeOf(event).toEqualTypeOf<ChangeEvent>()
  expectTypeOf(event.type).toEqualTypeOf<"set" | "delete" | "clear">()
  expectTypeOf(event.keys).toEqualTypeOf<readonly string[]>()
  expectTypeOf(event.version).toEqualTypeOf<string | null>()
})
expectTypeOf(unsubscribe).toEqualTypeOf<() => void>()
// Unbound, as useSyncExternalStore takes it.
const { subscribe } = cache
expectTypeOf(subscribe).toEqualTypeOf<(listener: (event: ChangeEvent) => void) => () => void>()
// @ts-expect-error subscribe takes a function
cache.subscribe("changes")
// @ts-expect-error an event's keys are read-only
cache.subscribe((event) => event.keys.push("x"))
expectTypeOf(await storageEstimate(cache)).toEqualTypeOf<StorageUsage | null>()
expectTypeOf(await persistStorage(cache)).toEqualTypeOf<boolean>()
// @ts-expect-error storageEstimate takes the cache whose storage it measures
void storageEstimate()
// @ts-expect-error maxEntries is a number or null
void new Cache({ maxEntries: "100" })

// The memory front: a Store of its own, with the front's size per name.
const fronted = withMemoryFront(createMemoryStore(), { maxEntries: 10 })
expectTypeOf(fronted).toEqualTypeOf<FrontedStore>()
expectTypeOf(fronted.frontSize("name")).toEqualTypeOf<number>()
void new Cache({ store: fronted })
// @ts-expect-error the front wraps a Store object, not a store string
void withMemoryFront("indexeddb")
// @ts-expect-error its bound is a number
void withMemoryFront(createMemoryStore(), { maxEntries: "10" })
// @ts-expect-error an unknown option
void withMemoryFront(createMemoryStore(), { max: 10 })
void withMemoryFront(createMemoryStore(), { frozen: true })
// @ts-expect-error frozen is a boolean
void withMemoryFront(createMemoryStore(), { frozen: "yes" })

// The SWR provider: from a Cache, SWR's provider option.
expectTypeOf(swrCacheProvider(cache)).toEqualTypeOf<Promise<(parent?: unknown) => SWRCacheLike>>()
// @ts-expect-error a timeout is a number or null
void swrCacheProvider(cache, { timeout: "60" })
// @ts-expect-error the provider needs a cache, not a store
void swrCacheProvider(createMemoryStore())
