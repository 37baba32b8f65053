// Importing an app's localForage data, with the real localforage package and each of its drivers
// this engine has (IndexedDB, localStorage), in each engine.
import localforage from "localforage"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { createLocalForage, importLocalForage, type LocalForageFace } from "../../src/adapters/localforage.js"
import { Cache, InvalidArgumentError, NotStorableError } from "../../src/index.js"

const caches: Cache[] = []
const open = (): Cache => {
  const cache = new Cache({ name: `lf-${crypto.randomUUID()}`, store: "indexeddb", sweepInterval: null })
  caches.push(cache)
  return cache
}
afterEach(async () => {
  await Promise.all(caches.splice(0).map(async (cache) => cache.clear().then(() => cache.disconnect())))
})

const drivers: Array<[string, string]> = [
  ["IndexedDB", localforage.INDEXEDDB],
  ["localStorage", localforage.LOCALSTORAGE],
]

it.each(drivers)("imports every item of a localForage instance on its %s driver, with a timeout", async (_, driver) => {
  const source = localforage.createInstance({ name: `app-${crypto.randomUUID()}`, driver })
  await source.ready()
  await source.setItem("user", { name: "Ada", roles: ["admin"] })
  await source.setItem("count", 3)
  await source.setItem("flag", false)
  const cache = open()
  const before = Date.now()
  expect(await importLocalForage(source, cache, { timeout: 3_600 })).toBe(3)
  expect(await cache.entries()).toEqual([
    ["count", 3],
    ["flag", false],
    ["user", { name: "Ada", roles: ["admin"] }],
  ])
  const entry = await cache.getEntry("user")
  expect(entry?.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000)
  // The source is left as it was.
  expect(await source.length()).toBe(3)
  await source.dropInstance()
})

it("an import is all or nothing, into the version asked for; a bad option is refused", async () => {
  const cache = open()
  const pairs: Array<[string, unknown]> = [
    ["ok", 1],
    ["bad", () => 1],
  ]
  const fake = {
    async iterate<T, U>(iteratee: (value: T, key: string, n: number) => U): Promise<U> {
      let last: U | undefined
      pairs.forEach(([key, value], i) => {
        last = iteratee(value as T, key, i + 1)
      })
      return last as U
    },
  }
  await expect(importLocalForage(fake, cache)).rejects.toBeInstanceOf(NotStorableError)
  expect(await cache.keys()).toEqual([])
  pairs.pop()
  expect(await importLocalForage(fake, cache, { version: 2 })).toBe(1)
  expect(await cache.get("ok", undefined, { version: 2 })).toBe(1)
  expect(await cache.get("ok")).toBeUndefined()
  await expect(importLocalForage(fake, cache, { ttl: 1 } as never)).rejects.toBeInstanceOf(InvalidArgumentError)
  await expect(importLocalForage(fake, cache, { timeout: -1 })).rejects.toThrow(/timeout/)
})

// The expectations of localForage's own API tests (test/test.api.js: the storage methods, in their
// promise and callback forms), run against the face over a cache.
describe("createLocalForage: localForage's API expectations, on a cache", () => {
  let store: LocalForageFace
  beforeEach(() => {
    store = createLocalForage(open())
  })
  const viaCallback = <T>(run: (callback: (error: unknown, result: T) => void) => unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      run((error, result) => (error ? reject(error) : resolve(result)))
    })

  it("has an empty length by default [callback]", async () => {
    expect(await viaCallback<number>((cb) => store.length(cb))).toBe(0)
  })
  it("should iterate [promise], iteration numbers from 1", async () => {
    expect(await store.setItem("officeX", "InitechX")).toBe("InitechX")
    expect(await store.getItem("officeX")).toBe("InitechX")
    expect(await store.setItem("officeY", "InitechY")).toBe("InitechY")
    const accumulator: Record<string, unknown> = {}
    const numbers: number[] = []
    await store.iterate((value, key, n) => {
      accumulator[key] = value
      numbers.push(n)
    })
    expect(accumulator).toEqual({ officeX: "InitechX", officeY: "InitechY" })
    expect(numbers).toEqual([1, 2])
  })
  it("should break iteration with defined return value [promise] and [callback]", async () => {
    await store.setItem("officeX", "InitechX")
    await store.setItem("officeY", "InitechY")
    expect(await store.iterate(() => "Some value!")).toBe("Some value!")
    expect(await viaCallback<string>((cb) => store.iterate(() => "Some value!", cb))).toBe("Some value!")
  })
  it("nested getItem inside clear works", async () => {
    await store.setItem("hello", "Hello World !")
    await store.clear()
    expect(await store.getItem("hello")).toBeNull()
  })
  it("returns null for undefined key, and for a non-existent key [promise] and [callback]", async () => {
    expect(await store.getItem("key")).toBeNull()
    expect(await viaCallback((cb) => store.getItem("undef", cb))).toBeNull()
  })
  it("saves an item, and over an existing key [callback]", async () => {
    expect(await viaCallback((cb) => store.setItem("office", "Initech", cb))).toBe("Initech")
    expect(await viaCallback((cb) => store.getItem("office", cb))).toBe("Initech")
    expect(await viaCallback((cb) => store.setItem("office", "Quora", cb))).toBe("Quora")
    expect(await store.getItem("office")).toBe("Quora")
  })
  it("returns null when saving undefined or null", async () => {
    expect(await store.setItem("undef", undefined)).toBeNull()
    expect(await store.setItem("null", null)).toBeNull()
    expect(await store.getItem("undef")).toBeNull()
    expect(await store.length()).toBe(2)
  })
  it("returns null from an undefined key index, and the key name", async () => {
    expect(await store.key(0)).toBeNull()
    await store.setItem("office", "Initech")
    expect(await viaCallback((cb) => store.key(0, cb))).toBe("office")
  })
  it("removes an item, and all items; keys() lists what is left", async () => {
    await store.setItem("office", "Initech")
    await store.setItem("otherOffice", "Initrode")
    await store.removeItem("office")
    expect(await store.getItem("office")).toBeNull()
    expect(await store.getItem("otherOffice")).toBe("Initrode")
    await store.removeItem("nothing-here")
    expect(await store.keys()).toEqual(["otherOffice"])
    await viaCallback<void>((cb) => store.clear(cb))
    expect(await store.length()).toBe(0)
  })
  it("saves falsy values and rich ones (structured clone: Date, Map)", async () => {
    for (const value of [false, 0, "", [], new Date(5), new Map([["a", 1]])]) {
      await store.setItem("v", value)
      expect(await store.getItem("v")).toEqual(value)
    }
  })
  it("items written through the face expire after its timeout", async () => {
    const cache = open()
    const short = createLocalForage(cache, { timeout: 60 })
    await short.setItem("k", 1)
    expect((await cache.getEntry("k"))?.expiresAt).toBeGreaterThan(Date.now() + 59_000)
    expect(() => createLocalForage(cache, { ttl: 1 } as never)).toThrow(InvalidArgumentError)
  })
})
