import { StoreUnavailableError } from "../errors.js"
import type { ResolvedOptions } from "../options.js"
import type { Store } from "../types.js"
import { createIndexedDBStore } from "./indexeddb.js"
import { createMemoryStore } from "./memory.js"

const warned = new Set<string>()

function warnOnce(name: string, reason: unknown): void {
  if (warned.has(name)) return
  warned.add(name)
  console.warn(
    `isocache: IndexedDB cannot be used for cache "${name}", so its entries are kept in memory only.`,
    reason,
  )
}

// The Redis store's entry point, loaded only for a redis:// URL. The specifier sits in a variable (and
// the bundler hints below) so that no bundler follows it: the core never carries node-redis, and the CJS
// build turns this import into a require, so a CJS app gets the CJS store and shares its error classes.
const redisEntry = "isocache/stores/redis"

async function createRedisStoreFor(url: string, name: string): Promise<Store> {
  let entry: typeof import("./redis.js")
  try {
    entry = await import(/* @vite-ignore */ /* webpackIgnore: true */ redisEntry)
  } catch (error) {
    throw new StoreUnavailableError(
      `A redis:// cache needs the Redis store (isocache/stores/redis, in Node) and its peer dependency: npm install redis`,
      { cause: error },
    )
  }
  return entry.createRedisStore({ url, name })
}

/**
 * Picks and opens the store the options ask for. `"auto"` tries IndexedDB when the global exists
 * and falls back to memory when it is missing or fails to open; a browser that falls back warns
 * once per cache name, since its data will not outlive the page. Node falls back silently. A
 * `redis://` URL loads the Redis store's entry point on first use.
 */
export async function openStore(options: ResolvedOptions): Promise<Store> {
  const { store, name, maxEntries, redisUrl } = options
  let chosen: Store
  if (redisUrl !== null) chosen = await createRedisStoreFor(redisUrl, name)
  else if (typeof store === "object") chosen = store
  else if (store === "memory") chosen = createMemoryStore({ name, maxEntries })
  else if (store === "indexeddb") chosen = createIndexedDBStore({ name })
  else {
    const g = globalThis as { indexedDB?: IDBFactory | null; document?: unknown }
    if (g.indexedDB) {
      const idb = createIndexedDBStore({ name })
      try {
        await idb.open()
        return idb
      } catch (error) {
        warnOnce(name, error)
      }
    } else if (g.document !== undefined) {
      // A page without IndexedDB (some private modes): expected in Node, worth a word in a browser.
      warnOnce(name, "indexedDB is not defined")
    }
    chosen = createMemoryStore({ name, maxEntries })
  }
  await chosen.open()
  return chosen
}
