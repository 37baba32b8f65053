import "fake-indexeddb/auto"
import { openDB } from "idb"
import { describe, expect, it } from "vitest"
import { Cache, createIndexedDBStore } from "../../src/index.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"

describeConformance("indexeddb (fake-indexeddb)", {
  kind: "indexeddb",
  createStore: (name) => createIndexedDBStore({ name }),
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
