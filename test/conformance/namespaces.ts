import { expect, it } from "vitest"
import { InvalidArgumentError } from "../../src/index.js"
import { type Context, uniqueName } from "./harness.js"

export function namespaceCases(ctx: () => Context): void {
  it("one store object serves caches of several names, each fully isolated", async () => {
    const c = ctx()
    const store = c.target.createStore()
    const billing = c.cache({ name: uniqueName(), store })
    const sessions = c.cache({ name: uniqueName(), store })
    await billing.setMany({ shared: "billing", only: 1 })
    await sessions.set("shared", "sessions")
    expect(await billing.get("shared")).toBe("billing")
    expect(await sessions.getMany(["shared", "only"])).toEqual({ shared: "sessions" })
    await billing.clear()
    expect(await billing.keys()).toEqual([])
    expect(await sessions.entries()).toEqual([["shared", "sessions"]])
  })

  it("cache.name is the namespace in use: a cache of that name on the same backend sees the entries", async () => {
    const c = ctx()
    const name = uniqueName()
    const viaObject = c.cache({ name, store: c.target.createStore() })
    expect(viaObject.name).toBe(name)
    await viaObject.set("k", "under the name")
    expect(await c.cache({ name, store: c.storeOption() }).get("k")).toBe("under the name")
    expect(await c.cache({ name: uniqueName(), store: c.storeOption() }).get("k")).toBeUndefined()
  })

  it("caches of one name share entries through two store objects of one backend, except two createMemoryStore() objects", async () => {
    const c = ctx()
    const name = uniqueName()
    const a = c.cache({ name, store: c.target.createStore() })
    const b = c.cache({ name, store: c.target.createStore() })
    await a.set("k", "from a")
    // The memory target's store is the process-wide one (store: "memory"): one backend.
    expect(await b.get("k")).toBe("from a")
  })

  it("a bound is kept by the store that can keep it, shared by the caches of its name, or refused before anything is written", async () => {
    const c = ctx()
    const name = uniqueName()
    const a = c.cache({ name, maxEntries: 3 })
    if (c.target.kind !== "memory" && c.target.kind !== "indexeddb") {
      const error = await a.set("k", 1).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidArgumentError)
      expect((error as Error).message).toMatch(/maxEntries/)
      expect(await c.cache({ name }).keys()).toEqual([])
      return
    }
    const other = c.cache({ maxEntries: 2 })
    await other.setMany({ x: 1, y: 2 })
    await a.set("b", 2)
    await a.set("old", 1, { timeout: 1 })
    await a.set("c", 3)
    c.clock.advance(2_000)
    // Past the bound: the expired entry goes first, though "b" was written before it.
    await a.set("d", 4)
    expect(await a.keys()).toEqual(["b", "c", "d"])
    expect(await c.rawCount(a)).toBe(3)
    // Then the least recently written (or used) goes, whichever cache of the name writes.
    const b = c.cache({ name })
    await b.set("e", 5)
    expect(await a.keys()).toEqual(["c", "d", "e"])
    // A batch past the bound keeps its last entries.
    await a.setMany({ f: 6, g: 7, h: 8, i: 9 })
    expect(await b.keys()).toEqual(["g", "h", "i"])
    expect(await c.rawCount(b)).toBe(3)
    // Nothing evicted from another name; and one bound per name.
    expect(await other.keys()).toEqual(["x", "y"])
    await expect(c.cache({ name, maxEntries: 5 }).get("a")).rejects.toThrow(InvalidArgumentError)
  })
}
