// Importing an app's localForage data, with the real localforage package and each of its drivers
// this engine has (IndexedDB, localStorage), in each engine.
import localforage from "localforage"
import { afterEach, expect, it } from "vitest"
import { importLocalForage } from "../../src/adapters/localforage.js"
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
