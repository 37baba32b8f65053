import * as fake from "fake-indexeddb"
import { describe, expect, it, vi } from "vitest"
import { autoStoreCases } from "./cases.js"

// happy-dom is a page without IndexedDB; the fake's factory and classes stand in for a working one
// (idb recognises requests and transactions by their classes, so those go global too).
function provideIndexedDB(): void {
  for (const [name, value] of Object.entries(fake)) if (name.startsWith("IDB")) vi.stubGlobal(name, value)
  vi.stubGlobal("indexedDB", new fake.IDBFactory())
}

describe('store: "auto" in happy-dom', () => autoStoreCases(provideIndexedDB))

describe("imports", () => {
  it("importing the library reads no browser global", async () => {
    vi.resetModules()
    const touched: string[] = []
    for (const name of ["indexedDB", "window", "document", "navigator", "localStorage"]) {
      const value: unknown = (globalThis as Record<string, unknown>)[name]
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name)
          return value
        },
      })
    }
    await import("../../src/index.js")
    expect(touched).toEqual([])
  })
})
