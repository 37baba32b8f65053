import * as fake from "fake-indexeddb"
import { afterEach, describe, expect, it, vi } from "vitest"
import { Cache, StoreUnavailableError } from "../src/index.js"
import { uniqueName } from "./conformance/harness.js"

// happy-dom is a browser-like environment without IndexedDB: the place to test how "auto" chooses.
// idb recognises requests and transactions by their classes, so the fake's classes go global too.
function installIndexedDB(factory: IDBFactory | undefined): void {
  for (const [name, value] of Object.entries(fake)) if (name.startsWith("IDB")) vi.stubGlobal(name, value)
  vi.stubGlobal("indexedDB", factory)
}
const { IDBFactory } = fake

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('store: "auto" in a browser-like page (happy-dom)', () => {
  it("uses IndexedDB when it exists and opens", async () => {
    installIndexedDB(new IDBFactory())
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const cache = new Cache({ name: uniqueName() })
    await cache.set("k", 1)
    expect(warn.mock.calls).toEqual([])
    expect(cache.storeKind).toBe("indexeddb")
    expect(await cache.get("k")).toBe(1)
    await cache.disconnect()
  })

  it("falls back to memory when IndexedDB is missing, and warns once per name", async () => {
    installIndexedDB(undefined)
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const name = uniqueName()
    const cache = new Cache({ name })
    await cache.set("k", 1)
    expect(cache.storeKind).toBe("memory")
    expect(await new Cache({ name }).get("k")).toBe(1)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain(name)
  })

  it("falls back to memory when indexedDB.open fails, warns once; store: indexeddb rejects instead", async () => {
    const factory = new IDBFactory()
    factory.open = () => {
      throw new DOMException(
        "A mutation operation was attempted on a database that did not allow mutations.",
        "InvalidStateError",
      )
    }
    installIndexedDB(factory)
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {})
    const name = uniqueName()
    const first = new Cache({ name })
    const second = new Cache({ name })
    await first.set("k", "memory")
    expect(await second.get("k")).toBe("memory")
    expect(first.storeKind).toBe("memory")
    expect(second.storeKind).toBe("memory")
    expect(warn).toHaveBeenCalledTimes(1)

    const strict = new Cache({ name, store: "indexeddb" })
    const error = await strict.get("k").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect((error as StoreUnavailableError).code).toBe("ERR_STORE_UNAVAILABLE")
    expect((error as Error).cause).toBeInstanceOf(DOMException)
    expect(strict.storeKind).toBeNull()
  })

  it("falls back when the open request errors asynchronously", async () => {
    const factory = new IDBFactory()
    factory.open = (name: string) => {
      const request = new IDBFactory().open(name)
      const failing = Object.create(request) as IDBOpenDBRequest
      queueMicrotask(() => {
        Object.defineProperty(failing, "error", {
          value: new DOMException("Internal error opening backing store", "UnknownError"),
        })
        failing.onerror?.call(failing, new Event("error"))
      })
      return failing
    }
    installIndexedDB(factory)
    vi.spyOn(console, "warn").mockImplementation(() => {})
    const cache = new Cache({ name: uniqueName() })
    await cache.connect()
    expect(cache.storeKind).toBe("memory")
  })

  it("importing the library reads no browser global", async () => {
    vi.resetModules()
    const touched: string[] = []
    for (const name of ["indexedDB", "window", "document", "navigator", "localStorage"]) {
      const value: unknown = (globalThis as Record<string, unknown>)[name]
      vi.stubGlobal(name, undefined)
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name)
          return value
        },
      })
    }
    await import("../src/index.js")
    expect(touched).toEqual([])
  })
})
