// The page's one Cache. Changing its defaults re-creates it, since a cache's options are fixed.
import { Cache, type CacheOptions } from "isocache"

/** The cache name of the demo; its entries live in the IndexedDB database `isocache:demo`. */
export const CACHE_NAME = "demo"
export const DATABASE_NAME = `isocache:${CACHE_NAME}`

let current = new Cache({ name: CACHE_NAME })

/** The cache in use now. */
export function cache(): Cache {
  return current
}

/**
 * Replaces the cache with one of new defaults, then connects it. The constructor's own validation
 * runs first: on a bad option it throws and the old cache stays.
 */
export async function recreateCache(
  defaults: Pick<CacheOptions, "timeout" | "version" | "maxEntries">,
): Promise<Cache> {
  const next = new Cache({ name: CACHE_NAME, ...defaults })
  const previous = current
  current = next
  await previous.disconnect()
  await next.connect()
  return next
}
