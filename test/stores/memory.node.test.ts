import { describe, expect, it } from "vitest"
import { Cache, createMemoryStore } from "../../src/index.js"
import { uniqueName } from "../conformance/harness.js"
import { describeConformance } from "../conformance/index.js"

describeConformance("memory", {
  kind: "memory",
  createStore: (name) => createMemoryStore({ name }),
  rawCount: async (name) => createMemoryStore({ name }).size,
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
    expect(createMemoryStore({ name }).size).toBe(3)
    expect(await cache.getMany(["a", "c", "d", "e", "f"])).toEqual({ d: 4, e: 5, f: 6 })
  })

  it("maxEntries bounds a cache written far past it", async () => {
    const name = uniqueName()
    const cache = new Cache(`memory://${name}?maxEntries=100`)
    for (let i = 0; i < 1000; i++) await cache.set(`k${i}`, i)
    expect(createMemoryStore({ name }).size).toBe(100)
    expect(await cache.get("k999")).toBe(999)
    expect(await cache.get("k899")).toBeUndefined()
  })

  it("rejects a bad maxEntries", () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/)
  })

  it("shares entries through globalThis, so a second copy of the library sees them", async () => {
    const name = uniqueName()
    await new Cache({ name, store: "memory" }).set("k", 1)
    const registry = (globalThis as Record<symbol, Map<string, Map<string, unknown>>>)[
      Symbol.for("isocache.memory-registry")
    ]
    expect(registry?.get(name)?.size).toBe(1)
  })
})
