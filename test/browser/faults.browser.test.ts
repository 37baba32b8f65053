import { afterEach, describe, expect, it, vi } from "vitest"
import { commands } from "vitest/browser"
import { Cache, createIndexedDBStore, type Store, StoreUnavailableError } from "../../src/index.js"
import { rawCount } from "../idb-helpers.js"
import { unhandledDuring } from "./unhandled.js"

const caches: Cache[] = []
const track = (cache: Cache): Cache => {
  caches.push(cache)
  return cache
}
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(caches.splice(0).map((cache) => cache.disconnect()))
})

describe("faults on real IndexedDB", () => {
  it("the database force-deleted under a live cache (calls in flight): every call still succeeds", async () => {
    const name = `forced-${crypto.randomUUID()}`
    const cache = track(new Cache({ name, store: "indexeddb", sweepInterval: null }))
    await cache.set("k", "before")
    const unhandled = await unhandledDuring(async () => {
      const inflight = Array.from({ length: 50 }, (_, i) => cache.set(`x${i}`, i))
      await commands.forceDeleteDatabase(`isocache:${name}`)
      await Promise.all(inflight)
      await cache.set("after", 1)
      expect(await cache.get("after")).toBe(1)
      await expect(cache.incr("after")).resolves.toBe(2)
    })
    expect(unhandled).toEqual([])
  })

  it("an open blocked by a connection that closes a moment later still succeeds", async () => {
    const name = `late-${crypto.randomUUID()}`
    const late = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`isocache:${name}`, 1)
      request.onupgradeneeded = () => request.result.createObjectStore("not-ours")
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    late.onversionchange = () => setTimeout(() => late.close(), 200)
    const cache = track(new Cache({ name, store: "indexeddb" }))
    await cache.set("k", "opened")
    expect(await cache.get("k")).toBe("opened")
  })

  it("an open blocked by a connection that never closes is reported, not hung", async () => {
    const name = `blocked-${crypto.randomUUID()}`
    // Another program's connection to a database of the wrong layout, deaf to versionchange.
    const foreign = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(`isocache:${name}`, 1)
      request.onupgradeneeded = () => request.result.createObjectStore("not-ours")
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const strict = track(new Cache({ name, store: "indexeddb" }))
    const error = await strict.connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as Error).message).toMatch(/blocked/)

    // An open queued behind that blocked upgrade waits for it: it gives up after openTimeout.
    const queued = track(new Cache({ name, store: createIndexedDBStore({ openTimeout: 300 }) }))
    const timedOut = await queued.get("k").catch((e: unknown) => e)
    expect(timedOut).toBeInstanceOf(StoreUnavailableError)
    expect((timedOut as Error).message).toMatch(/did not open within 300 ms/)

    foreign.close()
    await strict.set("k", "now it opens")
    expect(await strict.get("k")).toBe("now it opens")
    expect(strict.storeKind).toBe("indexeddb")
    expect(await queued.get("k")).toBe("now it opens")
  })
})

describe("expiry on real IndexedDB", () => {
  it("10,000 expired entries among 1,000 lasting ones: the sweep removes exactly the expired, in bounded batches, while reads go on", async () => {
    const name = `sweep-${crypto.randomUUID()}`
    let now = Date.now()
    const batches: number[] = []
    const inner = createIndexedDBStore()
    // Records how many entries each sweep batch of the cache's namespace removed.
    const store: Store = {
      kind: inner.kind,
      async open(name, options) {
        const namespace = await inner.open(name, options)
        return {
          ...namespace,
          async sweep(at, limit) {
            const removed = await namespace.sweep(at, limit)
            batches.push(removed)
            return removed
          },
        }
      },
    }
    const cache = track(new Cache({ name, store, clock: () => now, sweepInterval: null }))
    for (let i = 0; i < 10; i++) {
      await cache.setMany(
        Array.from({ length: 1000 }, (_, j) => [`short-${i * 1000 + j}`, { i, j }] as const),
        { timeout: 1 + (i % 3) },
      )
    }
    await cache.setMany(
      Array.from({ length: 1000 }, (_, j) => [`forever-${j}`, j] as const),
      { timeout: null },
    )
    expect(await rawCount(name)).toBe(11_000)

    now += 3000
    const reads: Array<Promise<unknown>> = []
    const sweeping = cache.sweep()
    for (let i = 0; i < 20; i++) reads.push(cache.getMany([`forever-${i}`, `short-${i}`]))
    const [removed, ...seen] = await Promise.all([sweeping, ...reads])
    expect(removed).toBe(10_000)
    for (const [i, found] of seen.entries()) expect(found).toEqual({ [`forever-${i}`]: i })
    expect(await rawCount(name)).toBe(1000)
    expect(Math.max(...batches)).toBeLessThanOrEqual(500)
    expect(batches.reduce((a, b) => a + b, 0)).toBe(10_000)
    expect(batches.length).toBeGreaterThanOrEqual(20)
    // WebKitGTK's in-memory IndexedDB deletes records with a second index slowly (some 40 s here).
  }, 180_000)
})
