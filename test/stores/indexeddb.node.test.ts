import "fake-indexeddb/auto"
import { forceCloseDatabase, IDBFactory, IDBKeyRange } from "fake-indexeddb"
import { openDB } from "idb"
import { describe, expect, it, vi } from "vitest"
import { Cache, createIndexedDBStore, KeyNotFoundError, StoreUnavailableError } from "../../src/index.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"
import { batchingCases } from "./indexeddb-batching.js"

describeConformance("indexeddb (fake-indexeddb)", {
  kind: "indexeddb",
  createStore: () => createIndexedDBStore(),
  rawCount,
})

describe("indexeddb store on fake-indexeddb", () => {
  it("uses one database per name, keyed by [version, key], with an expiry index", async () => {
    const cache = new Cache({ name: "layout", store: "indexeddb" })
    await cache.set("k", 1, { version: 2, timeout: 5 })
    await cache.set("forever", 1)
    await cache.disconnect()
    const db = await openDB("isocache:layout")
    expect([...db.objectStoreNames]).toEqual(["entries"])
    expect(await db.getAllKeys("entries")).toEqual([
      ["", "forever"],
      ["2", "k"],
    ])
    // never-expiring entries are not in the expiry index
    expect(await db.countFromIndex("entries", "expiresAt")).toBe(1)
    db.close()
  })
})

/** A fake-indexeddb factory that remembers every connection it opened, to close them "as the browser would". */
function spyingFactory(): { factory: IDBFactory; connections: IDBDatabase[] } {
  const factory = new IDBFactory()
  const connections: IDBDatabase[] = []
  const open = factory.open.bind(factory)
  factory.open = (name: string, version?: number) => {
    const request = version === undefined ? open(name) : open(name, version)
    request.addEventListener("success", () => connections.push(request.result))
    return request
  }
  return { factory, connections }
}

describe("indexeddb store: connection faults", () => {
  it("reopens and retries once when the browser closes the connection", async () => {
    const { factory, connections } = spyingFactory()
    const cache = new Cache({ name: "closed", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", 1)
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on("unhandledRejection", onUnhandled)
    try {
      forceCloseDatabase(connections.at(-1) as never)
      expect(await cache.get("k")).toBe(1)
      expect(await cache.incr("k")).toBe(2)
      expect(connections).toHaveLength(2)
      // closed underneath with calls in flight: they all still succeed
      const inflight = Array.from({ length: 10 }, (_, i) => cache.set(`x${i}`, i))
      forceCloseDatabase(connections.at(-1) as never)
      await Promise.all(inflight)
      expect(Object.keys(await cache.getMany(Array.from({ length: 10 }, (_, i) => `x${i}`)))).toHaveLength(10)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off("unhandledRejection", onUnhandled)
      await cache.disconnect()
    }
  })

  it("closes on versionchange so another connection can upgrade, then reopens", async () => {
    const { factory } = spyingFactory()
    const cache = new Cache({ name: "upgrade", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", "before")
    const other = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open("isocache:upgrade", 5)
      request.onupgradeneeded = () => request.result.createObjectStore("other")
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
      request.onblocked = () => reject(new Error("blocked by the cache's connection"))
    })
    other.close()
    expect(await cache.get("k")).toBe("before")
    await cache.set("k", "after")
    expect(await cache.get("k")).toBe("after")
    await cache.disconnect()
  })

  it("recovers when the database is deleted under a live cache", async () => {
    const { factory } = spyingFactory()
    const cache = new Cache({ name: "deleted", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", 1)
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase("isocache:deleted")
      request.onsuccess = () => resolve()
      request.onerror = () => reject(request.error)
      request.onblocked = () => reject(new Error("blocked"))
    })
    expect(await cache.get("k")).toBeUndefined()
    await cache.set("k", 2)
    expect(await cache.get("k")).toBe(2)
    await cache.disconnect()
  })

  it("reports an open blocked by a connection that never closes, instead of hanging", async () => {
    const factory = new IDBFactory()
    // A foreign connection at version 1 that ignores versionchange.
    const foreign = await new Promise<IDBDatabase>((resolve) => {
      const request = factory.open("isocache:blocked", 1)
      request.onsuccess = () => resolve(request.result)
    })
    const cache = new Cache({ name: "blocked", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    const error = await cache.connect().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as Error).message).toMatch(/blocked/)
    const queued = new Cache({
      name: "blocked",
      store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange, openTimeout: 100 }),
    })
    await expect(queued.get("k")).rejects.toThrow(/did not open within 100 ms/)
    foreign.close()
    // once the other tab lets go, the next call opens (and mends the layout)
    await cache.set("k", 1)
    expect(await cache.get("k")).toBe(1)
    expect(await queued.get("k")).toBe(1)
    await Promise.all([cache.disconnect(), queued.disconnect()])
  })

  it("waits a moment for a connection that closes late, instead of failing at once", async () => {
    const factory = new IDBFactory()
    const late = await new Promise<IDBDatabase>((resolve) => {
      const request = factory.open("isocache:late", 1)
      request.onsuccess = () => resolve(request.result)
    })
    late.onversionchange = () => setTimeout(() => late.close(), 200)
    const cache = new Cache({ name: "late", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", 1)
    expect(await cache.get("k")).toBe(1)
    await cache.disconnect()
  })

  it("fails with StoreUnavailableError when IndexedDB is missing", async () => {
    const store = createIndexedDBStore({ indexedDB: undefined as unknown as IDBFactory })
    const saved = globalThis.indexedDB
    Object.defineProperty(globalThis, "indexedDB", { value: undefined, configurable: true, writable: true })
    try {
      await expect(new Cache({ store }).get("k")).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(new Cache({ name: "missing", store: "indexeddb" }).get("k")).rejects.toBeInstanceOf(
        StoreUnavailableError,
      )
    } finally {
      Object.defineProperty(globalThis, "indexedDB", { value: saved, configurable: true, writable: true })
    }
  })
  it("fails to open with StoreUnavailableError when IndexedDB comes without IDBKeyRange (it keeps no bound without)", async () => {
    const factory = new IDBFactory()
    vi.stubGlobal("IDBKeyRange", undefined)
    try {
      const cache = new Cache({ name: "no-range", store: createIndexedDBStore({ indexedDB: factory }), maxEntries: 2 })
      const error = await cache.set("k", 1).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreUnavailableError)
      expect((error as Error).message).toBe('IndexedDB "isocache:no-range": no IDBKeyRange here')
      expect(await factory.databases()).toEqual([])
    } finally {
      vi.unstubAllGlobals()
    }
    // Given with the factory, it opens.
    const cache = new Cache({ name: "no-range", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", 1)
    expect(await cache.get("k")).toBe(1)
    await cache.disconnect()
  })
})

describe("indexeddb store: foreign data", () => {
  it("mends a database of another layout (in-line keys, no index) and keeps working", async () => {
    const factory = new IDBFactory()
    await new Promise<void>((resolve) => {
      const request = factory.open("isocache:foreign", 3)
      request.onupgradeneeded = () => {
        request.result.createObjectStore("entries", { keyPath: "id" }).put({ id: 1 })
        request.result.createObjectStore("unrelated")
      }
      request.onsuccess = () => {
        request.result.close()
        resolve()
      }
    })
    const cache = new Cache({ name: "foreign", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    await cache.set("k", 1, { timeout: 1 })
    expect(await cache.get("k")).toBe(1)
    await cache.disconnect()
  })

  it("adds a missing expiry index to an entries store without one", async () => {
    const factory = new IDBFactory()
    await new Promise<void>((resolve) => {
      const request = factory.open("isocache:noindex", 1)
      request.onupgradeneeded = () => request.result.createObjectStore("entries").put({ value: "kept" }, ["", "k"])
      request.onsuccess = () => {
        request.result.close()
        resolve()
      }
    })
    const cache = new Cache({ name: "noindex", store: createIndexedDBStore({ indexedDB: factory, IDBKeyRange }) })
    expect(await cache.get("k")).toBe("kept")
    await cache.set("old", 1, { timeout: 1 })
    await cache.disconnect()
  })

  it("reads records of the wrong shape as misses, and overwrites them", async () => {
    const cache = new Cache({ name: "malformed", store: "indexeddb" })
    await cache.connect()
    const db = await openDB("isocache:malformed")
    await db.put("entries", "just a string", ["", "a"])
    await db.put("entries", { notValue: 1 }, ["", "b"])
    await db.put("entries", { value: 5, expiresAt: "soon" }, ["", "c"])
    await db.put("entries", { value: 6, expiresAt: 1 }, ["", "d"]) // expired long ago
    db.close()
    expect(await cache.getMany(["a", "b", "c", "d"])).toEqual({})
    expect(await cache.get("a", "default")).toBe("default")
    await expect(cache.incr("c")).rejects.toBeInstanceOf(KeyNotFoundError)
    expect(await cache.add("b", "fresh")).toBe(true)
    await cache.set("a", "fixed")
    expect(await cache.getMany(["a", "b"])).toEqual({ a: "fixed", b: "fresh" })
    expect(await cache.deleteMany(["c", "d"])).toBe(0)
    await cache.disconnect()
  })
})

describe("indexeddb store: batching (fake-indexeddb)", () => batchingCases())

describe("createIndexedDBStore", () => {
  it("takes no name (the cache's name picks its database), nor any option it does not document", () => {
    expect(() => createIndexedDBStore({ name: "x" } as never)).toThrow(
      /no option "name": give the cache.s name, new Cache\(\{ name, store \}\)/,
    )
    expect(() => createIndexedDBStore({ durabilty: "strict" } as never)).toThrow(
      /unknown option "durabilty"; did you mean "durability"/,
    )
    expect(createIndexedDBStore().databaseName("api")).toBe("isocache:api")
  })
})

describe("indexeddb store: a commit the browser refuses", () => {
  it("settles every call even when the aborted transaction never fires its requests' events", async () => {
    // Chromium, refusing a commit asked for with commit() (over quota), aborts the transaction and
    // drops the events of the requests still pending: neither success nor error ever fires for them.
    // The store commits writes early only in Blink (told apart by navigator.userAgentData).
    vi.stubGlobal("navigator", { userAgentData: { brands: [] } })
    const proto = IDBTransaction.prototype
    const realCommit = proto.commit
    const realPut = IDBObjectStore.prototype.put
    const pending = new Map<IDBTransaction, IDBRequest[]>()
    let refusals = 1
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["put"]>) {
      const request = realPut.apply(this, args)
      pending.set(this.transaction, [...(pending.get(this.transaction) ?? []), request])
      return request
    }
    proto.commit = function (this: IDBTransaction) {
      if (refusals-- <= 0) return realCommit.call(this)
      for (const request of pending.get(this) ?? []) {
        request.onsuccess = null
        request.onerror = null
      }
      this.abort()
    }
    try {
      const cache = new Cache({ name: "refused-commit", store: "indexeddb", sweepInterval: null })
      // The two sets share the refused transaction; each then goes again on its own and succeeds.
      await expect(Promise.all([cache.set("a", 1), cache.set("b", 2)])).resolves.toEqual([undefined, undefined])
      expect(refusals).toBeLessThan(0)
      expect(await cache.getMany(["a", "b"])).toEqual({ a: 1, b: 2 })
      await cache.disconnect()
    } finally {
      proto.commit = realCommit
      IDBObjectStore.prototype.put = realPut
      vi.unstubAllGlobals()
    }
  }, 5_000)

  it("commits several writes early only where the engine aborts them on a failed request (Blink)", async () => {
    const commits: string[] = []
    const realCommit = IDBTransaction.prototype.commit
    IDBTransaction.prototype.commit = function (this: IDBTransaction) {
      commits.push(this.mode)
      return realCommit.call(this)
    }
    const cache = new Cache({ name: "early-commit", store: "indexeddb", sweepInterval: null })
    try {
      await cache.setMany({ a: 1, b: 2 })
      await cache.get("a")
      // One write cannot tear: committed early everywhere.
      await cache.set("c", 3)
      expect(commits).toEqual(["readonly", "readwrite"])
      vi.stubGlobal("navigator", { userAgentData: { brands: [] } })
      await cache.setMany({ d: 4, e: 5 })
      expect(commits).toEqual(["readonly", "readwrite", "readwrite"])
    } finally {
      IDBTransaction.prototype.commit = realCommit
      vi.unstubAllGlobals()
      await cache.disconnect()
    }
  })
})
