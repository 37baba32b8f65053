// IndexedDB caches a test file opens, disconnected after each test (and cleared first, if asked).
import { afterEach } from "vitest"
import { Cache } from "../../src/index.js"

/** Registers the cleanup, and returns how to open a cache of `name` on IndexedDB without sweeps. */
export function openCaches({ clear = false } = {}): (name: string) => Cache {
  const caches: Cache[] = []
  afterEach(async () => {
    await Promise.all(
      caches.splice(0).map(async (cache) => {
        if (clear) await cache.clear()
        await cache.disconnect()
      }),
    )
  })
  return (name) => {
    const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
    caches.push(cache)
    return cache
  }
}
