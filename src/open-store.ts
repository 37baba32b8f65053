import { BROWSER_FILE } from "./build-target.js"
import { InvalidArgumentError, StoreUnavailableError } from "./errors.js"
import type { ResolvedOptions } from "./options.js"
import { createIndexedDBStore } from "./stores/indexeddb/index.js"
import { processMemoryStore } from "./stores/memory.js"
import type { Store, StoreNamespace } from "./types.js"

const warned = new Set<string>()

function warnOnce(name: string, reason: unknown): void {
  if (warned.has(name)) return
  warned.add(name)
  console.warn(`isocache: cache "${name}" is in memory: IndexedDB failed`, reason)
}

// The Redis store's entry point, loaded only for a redis:// URL. The specifier sits in a variable (and
// the bundler hints below) so that no bundler follows it: the core never carries node-redis, and the CJS
// build turns this import into a require, so a CJS app gets the CJS store and shares its error classes.
const redisEntry = "isocache/stores/redis"

async function createRedisStoreFor(url: string): Promise<Store> {
  let entry: typeof import("./stores/redis/index.js")
  try {
    entry = await import(/* @vite-ignore */ /* webpackIgnore: true */ redisEntry)
  } catch (error) {
    throw new StoreUnavailableError(
      `A redis:// cache needs the Redis store (isocache/stores/redis, in Node) and its peer dependency: npm install redis`,
      { cause: error },
    )
  }
  return entry.createRedisStore({ url })
}

/** The store a cache uses, and the namespace of the cache's name on it. */
export interface OpenedStore {
  readonly store: Store
  readonly namespace: StoreNamespace
}

/**
 * Picks the store the options ask for and opens the cache's namespace on it. `"auto"` tries IndexedDB
 * when the global exists and falls back to the process-wide memory store when it is missing or fails
 * to open; a browser that falls back warns once per cache name, since its data will not outlive the
 * page. Node falls back silently. A `redis://` URL loads the Redis store's entry point on first use.
 * An option the chosen store cannot honour (a bound on IndexedDB) fails, and never falls back.
 */
export async function openStore(options: ResolvedOptions): Promise<OpenedStore> {
  const { store, name, maxEntries, clock } = options
  const open = async (chosen: Store): Promise<OpenedStore> => ({
    store: chosen,
    namespace: await chosen.open(name, { maxEntries, now: clock }),
  })
  if (!BROWSER_FILE && options.redisUrl !== null) return open(await createRedisStoreFor(options.redisUrl))
  if (typeof store === "object") return open(store)
  if (store === "memory") return open(processMemoryStore())
  if (store === "indexeddb") return open(createIndexedDBStore())
  const g = globalThis as { indexedDB?: IDBFactory | null; document?: unknown }
  if (g.indexedDB) {
    try {
      return await open(createIndexedDBStore())
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw error
      warnOnce(name, error)
    }
  } else if (g.document !== undefined) {
    // A page without IndexedDB (some private modes): expected in Node, worth a word in a browser.
    warnOnce(name, "indexedDB is not defined")
  }
  return open(processMemoryStore())
}
