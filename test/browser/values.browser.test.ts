import { afterEach, expect, it } from "vitest"
import { Cache, NotStorableError } from "../../src/index.js"
import { blobRefusal } from "./engine-facts.js"

const caches: Cache[] = []
const open = (store: "indexeddb" | "memory"): Cache => {
  const cache = new Cache({ name: `values-${crypto.randomUUID()}`, store })
  caches.push(cache)
  return cache
}
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.disconnect()))
})

const blobsRefused = await blobRefusal()

it.for(["indexeddb", "memory"] as const)("Blob and File round-trip in the %s store", async (store, { skip }) => {
  skip(store === "indexeddb" && blobsRefused !== null, blobsRefused ?? "")
  const cache = open(store)
  const blob = new Blob(["hello"], { type: "text/plain" })
  const file = new File(["{}"], "data.json", { type: "application/json", lastModified: 1_700_000_000_000 })
  await cache.setMany({ blob, file, nested: { parts: [blob] } })
  const found = await cache.getMany(["blob", "file", "nested"])
  const back = found.blob as Blob
  const backFile = found.file as File
  expect(back).toBeInstanceOf(Blob)
  expect(await back.text()).toBe("hello")
  expect(back.type).toBe("text/plain")
  expect(backFile).toBeInstanceOf(File)
  expect([backFile.name, backFile.lastModified, await backFile.text()]).toEqual(["data.json", 1_700_000_000_000, "{}"])
  expect(await ((found.nested as { parts: Blob[] }).parts[0] as Blob).text()).toBe("hello")
})

it.each(["indexeddb", "memory"] as const)(
  "DOM nodes and reactive-style proxies are rejected in the %s store",
  async (store) => {
    const cache = open(store)
    const node = document.createElement("div")
    await expect(cache.set("node", node)).rejects.toThrow(/instance of HTMLDivElement/)
    await expect(cache.set("nested", { el: document.body })).rejects.toThrow(/value\.el/)
    // What Vue's reactive() or Svelte's $state hand out: a Proxy around a plain object.
    const reactive = new Proxy({ count: 1 }, { get: (target, key) => Reflect.get(target, key) })
    const error = await cache.setMany({ ok: 1, state: reactive }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotStorableError)
    expect((error as NotStorableError).key).toBe("state")
    expect(await cache.getMany(["node", "nested", "ok", "state"])).toEqual({})
  },
)

it("a Blob the engine's IndexedDB refuses is a NotStorableError naming the key, nothing written, and the cache goes on", async ({
  skip,
}) => {
  skip(
    blobsRefused === null,
    "this engine's IndexedDB stores Blob values here (only WebKit's ephemeral sessions refuse them)",
  )
  const cache = open("indexeddb")
  await cache.set("before", 1)
  const error = await cache.setMany({ a: 1, picture: new Blob(["x"]), c: 3 }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(NotStorableError)
  expect((error as NotStorableError).key).toBe("picture")
  expect((error as Error).message).toMatch(/picture/)
  // Issued in one task with the refused write: each call ends on its own.
  const [alone, beside] = await Promise.allSettled([cache.set("file", new File(["x"], "x.txt")), cache.set("ok", 2)])
  expect(alone.status === "rejected" && alone.reason).toBeInstanceOf(NotStorableError)
  expect(beside.status).toBe("fulfilled")
  expect(await cache.getMany(["before", "a", "picture", "c", "file", "ok"])).toEqual({ before: 1, ok: 2 })
})
