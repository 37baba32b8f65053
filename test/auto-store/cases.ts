// How `store: "auto"` chooses, in a page: shared by happy-dom (with fake-indexeddb) and real Chromium.
import { afterEach, expect, it, vi } from "vitest"
import { Cache, StoreUnavailableError } from "../../src/index.js"
import { uniqueName } from "../conformance/harness.js"

/**
 * @param provideIndexedDB - makes a working `globalThis.indexedDB` available (a no-op where the
 *   page has one)
 */
export function autoStoreCases(provideIndexedDB: () => void): void {
  const caches: Cache[] = []
  const make = (options: ConstructorParameters<typeof Cache>[0] = {}): Cache => {
    const cache = new Cache(options)
    caches.push(cache)
    return cache
  }
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.disconnect()))
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })

  it("uses IndexedDB when it exists and opens, without a warning", async () => {
    provideIndexedDB()
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const cache = make({ name: uniqueName() })
    await cache.set("k", 1)
    expect(warn.mock.calls).toEqual([])
    expect(cache.storeKind).toBe("indexeddb")
    expect(await cache.get("k")).toBe(1)
  })

  it("falls back to memory when IndexedDB is missing, warns once per name, and says so", async () => {
    vi.stubGlobal("indexedDB", undefined)
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const name = uniqueName()
    const cache = make({ name })
    await cache.set("k", 1)
    expect(cache.storeKind).toBe("memory")
    expect(await make({ name }).get("k")).toBe(1)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain(name)
  })

  it('falls back to memory when indexedDB.open throws, warns once; store: "indexeddb" rejects instead', async () => {
    provideIndexedDB()
    vi.spyOn(globalThis.indexedDB, "open").mockImplementation(() => {
      throw new DOMException(
        "A mutation operation was attempted on a database that did not allow mutations.",
        "InvalidStateError",
      )
    })
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const name = uniqueName()
    const first = make({ name })
    const second = make({ name })
    await first.set("k", "memory")
    expect(await second.get("k")).toBe("memory")
    expect([first.storeKind, second.storeKind]).toEqual(["memory", "memory"])
    expect(warn).toHaveBeenCalledTimes(1)

    const strict = make({ name, store: "indexeddb" })
    const error = await strict.get("k").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as StoreUnavailableError).code).toBe("ERR_STORE_UNAVAILABLE")
    expect((error as Error).cause).toBeInstanceOf(DOMException)
    expect(strict.storeKind).toBeNull()
  })

  it("falls back when the open request fails asynchronously (a broken backing store)", async () => {
    provideIndexedDB()
    vi.spyOn(globalThis.indexedDB, "open").mockImplementation(() => {
      // A request that fails the way Chromium's does when its backing store is corrupt.
      const failing = { onerror: null, onsuccess: null, onblocked: null, onupgradeneeded: null, error: null }
      setTimeout(() => {
        const request = failing as unknown as IDBOpenDBRequest
        Object.defineProperty(request, "error", {
          value: new DOMException("Internal error opening backing store", "UnknownError"),
        })
        request.onerror?.call(request, new Event("error"))
      }, 0)
      return failing as unknown as IDBOpenDBRequest
    })
    vi.spyOn(console, "warn").mockImplementation(() => {})
    const cache = make({ name: uniqueName() })
    await cache.connect()
    expect(cache.storeKind).toBe("memory")
    const strict = make({ name: uniqueName(), store: "indexeddb" })
    await expect(strict.connect()).rejects.toThrow(/backing store/)
  })
}
