// A database left by an older layout, or records written by another program, on real IndexedDB in
// Chromium: the cache mends the layout or reads such records as misses (or fails with a clear,
// typed error), never crashes, and keeps working.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import { Cache, KeyNotFoundError } from "../../src/index.js"
import { engineLabel } from "../browser/engine.js"
import { unhandledDuring } from "../browser/unhandled.js"
import { rawRecords } from "./raw-storage.js"

const caches: Cache[] = []
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.disconnect()))
})
const figures = { layoutsMended: 0, malformedRecords: 0, foreignKeys: 0 }
afterAll(() => commands.writeReliabilityReport("foreign-data", figures))

/** Creates database `isocache:<name>` at `version` as another program would, then closes it. */
function createForeign(name: string, version: number, upgrade: (db: IDBDatabase) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`isocache:${name}`, version)
    request.onupgradeneeded = () => upgrade(request.result)
    request.onsuccess = () => {
      request.result.close()
      resolve()
    }
    request.onerror = () => reject(request.error)
  })
}

/** Puts raw records into the `entries` store of cache `name`'s database. */
function putRaw(name: string, records: Array<[IDBValidKey, unknown]>): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`isocache:${name}`)
    request.onerror = () => reject(request.error)
    request.onsuccess = () => {
      const db = request.result
      const tx = db.transaction("entries", "readwrite")
      for (const [key, record] of records) tx.objectStore("entries").put(record, key)
      tx.oncomplete = () => {
        db.close()
        resolve()
      }
      tx.onerror = () => reject(tx.error)
    }
  })
}

const layouts: Array<[string, number, (db: IDBDatabase) => void]> = [
  [
    "an entries store with in-line keys, beside an unrelated store",
    3,
    (db) => {
      db.createObjectStore("entries", { keyPath: "id" }).put({ id: 1, value: "old" })
      db.createObjectStore("unrelated").put("x", "y")
    },
  ],
  [
    "an auto-increment entries store",
    2,
    (db) => db.createObjectStore("entries", { autoIncrement: true }).put({ v: 1 }),
  ],
  [
    "an entries store without the expiry index, holding a valid entry",
    1,
    (db) => db.createObjectStore("entries").put({ value: "kept" }, ["", "kept"]),
  ],
  [
    "an expiry index on the wrong key path",
    4,
    (db) => db.createObjectStore("entries").createIndex("expiresAt", "expires"),
  ],
  ["no entries store at all", 7, (db) => db.createObjectStore("something-else")],
  [
    "the right layout at version 1000",
    1000,
    (db) => db.createObjectStore("entries").createIndex("expiresAt", "expiresAt"),
  ],
]

describe(`foreign data on real IndexedDB (${engineLabel})`, () => {
  it.each(layouts)("a database left with %s is mended, and the cache works", async (what, version, upgrade) => {
    const name = `layout-${crypto.randomUUID()}`
    await createForeign(name, version, upgrade)
    let now = Date.now()
    const cache = new Cache({ name, store: "indexeddb", sweepInterval: null, clock: () => now })
    caches.push(cache)
    const unhandled = await unhandledDuring(async () => {
      if (what.includes("valid entry")) expect(await cache.get("kept")).toBe("kept")
      await cache.set("k", { v: 1 }, { timeout: 1 })
      await cache.set("n", 1)
      expect(await cache.getMany(["k", "n", "missing"])).toEqual({ k: { v: 1 }, n: 1 })
      expect(await cache.incr("n", 2)).toBe(3)
      expect(await cache.add("n", 0)).toBe(false)
      now += 1000
      // The expiry index works: the expired entry is swept from storage.
      expect(await cache.sweep()).toBe(1)
      expect(await cache.get("k")).toBeUndefined()
      await cache.clear()
      expect(await rawRecords("indexeddb", name)).toEqual([])
    })
    expect(unhandled).toEqual([])
    figures.layoutsMended++
  })

  it("records of the wrong shape read as misses or a typed error, never a crash; the cache keeps working", async () => {
    const name = `shapes-${crypto.randomUUID()}`
    let now = Date.now()
    const cache = new Cache({ name, store: "indexeddb", sweepInterval: null, clock: () => now })
    caches.push(cache)
    await cache.set("valid", "ok")
    const malformed: Array<[string, unknown]> = [
      ["string", "just a string"],
      ["number", 42],
      ["null", null],
      ["array", [1, 2]],
      ["no-value", { notValue: 1 }],
      ["string-expiry", { value: 5, expiresAt: "soon" }],
      ["array-expiry", { value: 5, expiresAt: [1, 2] }],
      ["nan-expiry", { value: 5, expiresAt: Number.NaN }],
      ["minus-infinity-expiry", { value: 5, expiresAt: Number.NEGATIVE_INFINITY }],
      ["long-expired", { value: 6, expiresAt: 1 }],
    ]
    // Records under keys that are not [version, key] at all, as another program might write.
    const strangeKeys: IDBValidKey[] = ["plain", 5, ["only-one"], [1, "valid"], ["", "valid", "extra"], new Date(0)]
    await putRaw(name, [
      ...malformed.map(([key, record]): [IDBValidKey, unknown] => [["", key], record]),
      ...strangeKeys.map((key): [IDBValidKey, unknown] => [key, { value: "stranger" }]),
    ])
    const keys = malformed.map(([key]) => key)
    const unhandled = await unhandledDuring(async () => {
      expect(await cache.getMany([...keys, "valid"])).toEqual({ valid: "ok" })
      for (const key of keys) expect(await cache.get(key, "default"), key).toBe("default")
      for (const key of keys) await expect(cache.incr(key), key).rejects.toBeInstanceOf(KeyNotFoundError)
      for (const key of keys) expect(await cache.touch(key, 5), key).toBe(false)
      // Writes replace them like misses.
      expect(await cache.add("no-value", "fresh")).toBe(true)
      await cache.set("string", "fixed")
      expect(await cache.getOrSet("number", () => "computed")).toBe("computed")
      expect(await cache.getMany(["no-value", "string", "number"])).toEqual({
        "no-value": "fresh",
        string: "fixed",
        number: "computed",
      })
      // The sweep copes with foreign values in the expiry index (strings, arrays, -Infinity).
      now += 10
      const swept = await cache.sweep()
      expect(swept).toBeGreaterThanOrEqual(2)
      expect(await cache.deleteMany(keys)).toBe(3)
      await cache.clear()
      expect(await rawRecords("indexeddb", name)).toEqual([])
      await cache.set("after", 1)
      expect(await cache.incr("after")).toBe(2)
    })
    expect(unhandled).toEqual([])
    figures.malformedRecords += malformed.length
    figures.foreignKeys += strangeKeys.length
  })
})
