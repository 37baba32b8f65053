// How the IndexedDB store groups calls into transactions: shared by fake-indexeddb and Chromium.
import { afterEach, expect, it, vi } from "vitest"
import { Cache, NotStorableError, type StoreEntry, type StoreKey, type StoreNamespace } from "../../src/index.js"
import { uniqueName } from "../conformance/harness.js"
import { openIndexedDB } from "../idb-helpers.js"

export function batchingCases(): void {
  const caches: Cache[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    await Promise.all(caches.splice(0).map((cache) => cache.disconnect()))
  })
  const connected = async (): Promise<{ cache: Cache; transactions: () => IDBTransactionMode[] }> => {
    const cache = new Cache({ name: uniqueName(), store: "indexeddb", sweepInterval: null })
    caches.push(cache)
    await cache.connect()
    const spy = vi.spyOn(IDBDatabase.prototype, "transaction")
    return { cache, transactions: () => spy.mock.calls.map((call) => call[1] ?? "readonly") }
  }

  it("1,000 concurrent gets share one read-only transaction", async () => {
    const { cache, transactions } = await connected()
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => cache.get(`k${i}`, i)))
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(transactions()).toEqual(["readonly"])
  })

  it("asks for relaxed durability unless told otherwise (a cache may lose its last writes in a crash)", async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, "transaction")
    const durabilities = async (store: StoreNamespace): Promise<unknown[]> => {
      spy.mockClear()
      await store.setMany([[["", "k"], { value: 1, expiresAt: null }]])
      await store.close()
      return spy.mock.calls.filter((call) => call[1] === "readwrite").map((call) => call[2]?.durability)
    }
    expect(await durabilities(await openIndexedDB(uniqueName()))).toEqual(["relaxed"])
    expect(await durabilities(await openIndexedDB(uniqueName(), { durability: "strict" }))).toEqual(["strict"])
  })

  it("concurrent writes share one read-write transaction; sequential calls get one each", async () => {
    const { cache, transactions } = await connected()
    await Promise.all(Array.from({ length: 500 }, (_, i) => cache.set(`k${i}`, i)))
    await Promise.all([cache.incr("k1"), cache.add("k2", 0), cache.delete("k3"), cache.get("k4")])
    expect(transactions()).toEqual(["readwrite", "readwrite"])
    expect(await cache.get("k1")).toBe(2)
    expect(await cache.get("k2")).toBe(2)
    expect(transactions()).toHaveLength(4)
  })

  it("a write issued with a sweep is not undone by it, however many slices the sweep deletes in", async () => {
    const store = await openIndexedDB(uniqueName())
    const key = (i: number): StoreKey => ["", `k${String(i).padStart(3, "0")}`]
    await store.setMany(Array.from({ length: 250 }, (_, i) => [key(i), { value: i, expiresAt: 1000 }] as const))
    // The sweep finds k249 expired and deletes it in its last slice; the write comes after it.
    const [swept] = await Promise.all([
      store.sweep(2000, 500),
      store.setMany([[key(249), { value: "fresh", expiresAt: null }]]),
    ])
    expect(swept).toBe(250)
    const found = await store.getMany([key(0), key(249)])
    expect(found.map((entry) => entry?.value)).toEqual([undefined, "fresh"])
    await store.close()
  })

  it("a sweep re-checks keys found by an earlier scan: one written again since survives", async () => {
    const store = await openIndexedDB(uniqueName())
    const key = (i: number): StoreKey => ["", `k${String(i).padStart(4, "0")}`]
    await store.setMany(Array.from({ length: 1200 }, (_, i) => [key(i), { value: i, expiresAt: 1000 }] as const))
    // The first batch's scan finds all 1,200; k0700 belongs to the second batch, and is written again.
    expect(await store.sweep(2000, 500)).toBe(500)
    await store.setMany([[key(700), { value: "fresh", expiresAt: 5000 }]])
    expect(await store.sweep(2000, 500)).toBe(499)
    expect(await store.sweep(2000, 500)).toBe(200)
    expect(await store.sweep(2000, 500)).toBe(0)
    const found = await store.getMany([key(699), key(700), key(701)])
    expect(found.map((entry) => entry?.value)).toEqual([undefined, "fresh", undefined])
    // Once the clock passes its new expiry, a new scan finds it.
    expect(await store.sweep(6000, 500)).toBe(1)
    await store.close()
  })

  it("a value the browser refuses at write time fails alone; its neighbours are written whole", async () => {
    const name = uniqueName()
    const store = await openIndexedDB(name)
    const entry = (value: unknown): StoreEntry => ({ value, expiresAt: null })
    const key = (k: string): StoreKey => ["", k]
    // Straight to the store, past the cache's checks: a function only fails inside IndexedDB's put.
    const results = await Promise.allSettled([
      store.setMany([[key("a"), entry(1)]]),
      store.setMany([
        [key("b"), entry(2)],
        [key("bad"), entry(() => 3)],
      ]),
      store.update([key("a")], ([current]) => ({
        writes: [{ value: (current?.value as number) + 10, expiresAt: null }],
        result: "updated",
      })),
      store.setMany([[key("c"), entry(4)]]),
    ])
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"])
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(NotStorableError)
    const found = await store.getMany([key("a"), key("b"), key("bad"), key("c")])
    expect(found.map((e) => e?.value)).toEqual([11, undefined, undefined, 4])
    await store.close()
  })
}
