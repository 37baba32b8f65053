import { describe, expect, it } from "vitest"
import { Cache, createMemoryStore, InvalidArgumentError } from "../../src/index.js"
import { processMemoryStore } from "../../src/stores/memory.js"
import { uniqueName } from "../conformance/harness.js"
import { describeConformance } from "../conformance/index.js"

describeConformance("memory", {
  kind: "memory",
  createStore: () => processMemoryStore(),
  rawCount: async (name) => processMemoryStore().size(name),
})

describe("memory store", () => {
  it("maxEntries evicts the least recently used entries", async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: "memory", maxEntries: 3 })
    await cache.setMany({ a: 1, b: 2, c: 3 })
    expect(await cache.get("a")).toBe(1) // a is now the most recently used
    await cache.set("d", 4)
    expect(await cache.getMany(["a", "b", "c", "d"])).toEqual({ a: 1, c: 3, d: 4 })
    await cache.setMany({ e: 5, f: 6 })
    expect(processMemoryStore().size(name)).toBe(3)
    expect(await cache.getMany(["a", "c", "d", "e", "f"])).toEqual({ d: 4, e: 5, f: 6 })
  })

  it("maxEntries bounds a cache written far past it", async () => {
    const name = uniqueName()
    const cache = new Cache(`memory://${name}?maxEntries=100`)
    for (let i = 0; i < 1000; i++) await cache.set(`k${i}`, i)
    expect(processMemoryStore().size(name)).toBe(100)
    expect(await cache.get("k999")).toBe(999)
    expect(await cache.get("k899")).toBeUndefined()
  })

  it("createMemoryStore() is a backend of its own: shared by the caches that use it, by nothing else", async () => {
    const name = uniqueName()
    const store = createMemoryStore()
    const a = new Cache({ name, store })
    const b = new Cache({ name, store })
    await a.set("k", "on this object")
    expect(await b.get("k")).toBe("on this object")
    expect(await new Cache({ name, store: createMemoryStore() }).get("k")).toBeUndefined()
    expect(await new Cache({ name, store: "memory" }).get("k")).toBeUndefined()
    expect(store.size(name)).toBe(1)
  })

  it("a factory's maxEntries bounds each name on it, on its own", async () => {
    const store = createMemoryStore({ maxEntries: 2 })
    const a = new Cache({ name: uniqueName(), store })
    const b = new Cache({ name: uniqueName(), store })
    await a.setMany({ x: 1, y: 2, z: 3 })
    await b.setMany({ p: 1 })
    expect([await a.keys(), await b.keys()]).toEqual([["y", "z"], ["p"]])
  })

  it("takes no name, nor any option it does not document", () => {
    expect(() => createMemoryStore({ name: "x" } as never)).toThrow(
      /no option "name": give the cache's name, new Cache\(\{ name, store \}\)/,
    )
    expect(() => createMemoryStore({ maxEntrys: 2 } as never)).toThrow(InvalidArgumentError)
  })

  it("rejects a bad maxEntries", () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/)
  })

  it("shares entries through globalThis, so a second copy of the library sees them", async () => {
    const name = uniqueName()
    await new Cache({ name, store: "memory" }).set("k", 1)
    const store = (globalThis as Record<symbol, { size(name: string): number }>)[Symbol.for("isocache.memory-store")]
    expect(store?.size(name)).toBe(1)
  })
})
