import { expect, it } from "vitest"
import type { Context } from "./harness.js"

export function basicCases(ctx: () => Context): void {
  it("get returns undefined for a missing key, or the given default", async () => {
    const cache = ctx().cache()
    expect(await cache.get("missing")).toBeUndefined()
    expect(await cache.get("missing", "fallback")).toBe("fallback")
    expect(await cache.get("missing", null)).toBeNull()
  })

  it("get returns a stored null or false, not the default", async () => {
    const cache = ctx().cache()
    await cache.set("n", null)
    await cache.set("f", false)
    await cache.set("z", 0)
    expect(await cache.get("n", "fallback")).toBeNull()
    expect(await cache.get("f", "fallback")).toBe(false)
    expect(await cache.get("z", "fallback")).toBe(0)
  })

  it("set stores a value and replaces an existing one", async () => {
    const cache = ctx().cache()
    await cache.set("k", "one")
    expect(await cache.get("k")).toBe("one")
    await cache.set("k", { two: 2 })
    expect(await cache.get("k")).toEqual({ two: 2 })
  })

  it("the empty string is a key like any other", async () => {
    const cache = ctx().cache()
    await cache.set("", "empty")
    expect(await cache.get("")).toBe("empty")
    expect(await cache.getMany([""])).toEqual({ "": "empty" })
    expect(await cache.delete("")).toBe(true)
    expect(await cache.get("")).toBeUndefined()
  })

  it("add stores only when no live entry exists", async () => {
    const cache = ctx().cache()
    expect(await cache.add("k", 1)).toBe(true)
    expect(await cache.add("k", 2)).toBe(false)
    expect(await cache.get("k")).toBe(1)
  })

  it("add is atomic: of many concurrent adds exactly one returns true", async () => {
    const { cache: make } = ctx()
    const first = make()
    const second = make({ name: first.name })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).add("race", i)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(results.indexOf(true)).toBe(await first.get("race"))
  })

  it("add honours timeout and version", async () => {
    const c = ctx()
    const cache = c.cache()
    expect(await cache.add("k", "v1", { version: 1, timeout: 1 })).toBe(true)
    expect(await cache.get("k")).toBeUndefined()
    expect(await cache.get("k", undefined, { version: 1 })).toBe("v1")
    c.clock.advance(1000)
    expect(await cache.add("k", "again", { version: 1 })).toBe(true)
    expect(await cache.get("k", undefined, { version: 1 })).toBe("again")
  })

  it("getOrSet returns the live value without touching the factory", async () => {
    const cache = ctx().cache()
    await cache.set("k", "cached")
    let calls = 0
    expect(await cache.getOrSet("k", () => ++calls)).toBe("cached")
    expect(calls).toBe(0)
  })

  it("getOrSet stores a plain value on a miss and returns it", async () => {
    const cache = ctx().cache()
    expect(await cache.getOrSet("k", { a: 1 })).toEqual({ a: 1 })
    expect(await cache.get("k")).toEqual({ a: 1 })
  })

  it("getOrSet calls a sync or async factory on a miss and stores its result", async () => {
    const cache = ctx().cache()
    expect(await cache.getOrSet("sync", () => "s")).toBe("s")
    expect(await cache.getOrSet("async", async () => "a")).toBe("a")
    expect(await cache.getMany(["sync", "async"])).toEqual({ sync: "s", async: "a" })
  })

  it("getOrSet honours timeout and version", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.getOrSet("k", "v", { timeout: 2, version: "x" })
    expect(await cache.get("k")).toBeUndefined()
    c.clock.advance(1999)
    expect(await cache.get("k", undefined, { version: "x" })).toBe("v")
    c.clock.advance(1)
    expect(await cache.getOrSet("k", () => "new", { version: "x" })).toBe("new")
  })

  it("concurrent getOrSet calls for one key share a single factory call", async () => {
    const cache = ctx().cache()
    let calls = 0
    const factory = async (): Promise<string> => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return `value-${calls}`
    }
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrSet("k", factory)))
    expect(calls).toBe(1)
    expect(new Set(results)).toEqual(new Set(["value-1"]))
    expect(await cache.get("k")).toBe("value-1")
  })

  it("getOrSet keeps keys of different versions apart when coalescing", async () => {
    const cache = ctx().cache()
    const [a, b] = await Promise.all([
      cache.getOrSet("k", async () => "a", { version: 1 }),
      cache.getOrSet("k", async () => "b", { version: 2 }),
    ])
    expect([a, b]).toEqual(["a", "b"])
  })

  it("a factory that throws stores nothing and its error reaches every waiter", async () => {
    const c = ctx()
    const cache = c.cache()
    const boom = new Error("boom")
    let calls = 0
    const factory = async (): Promise<never> => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 5))
      throw boom
    }
    const results = await Promise.allSettled([cache.getOrSet("k", factory), cache.getOrSet("k", factory)])
    expect(calls).toBe(1)
    for (const result of results) expect(result).toEqual({ status: "rejected", reason: boom })
    expect(await cache.get("k")).toBeUndefined()
    expect(await c.rawCount(cache)).toBe(0)
    // the failure is not cached: the next call runs the factory again
    expect(await cache.getOrSet("k", () => "ok")).toBe("ok")
  })

  it("if another writer wins the race, getOrSet returns the stored value", async () => {
    const { cache: make } = ctx()
    const cache = make()
    const other = make({ name: cache.name })
    const result = await cache.getOrSet("k", async () => {
      await other.set("k", "winner")
      return "loser"
    })
    expect(result).toBe("winner")
    expect(await cache.get("k")).toBe("winner")
  })

  it("delete removes a live entry and says whether there was one", async () => {
    const cache = ctx().cache()
    await cache.set("k", 1)
    expect(await cache.delete("k")).toBe(true)
    expect(await cache.get("k")).toBeUndefined()
    expect(await cache.delete("k")).toBe(false)
  })

  it("clear removes every entry of the cache, of all versions", async () => {
    const c = ctx()
    const cache = c.cache({ version: 3 })
    await cache.set("a", 1)
    await cache.set("b", 2, { version: "other" })
    await cache.set("c", 3, { version: null })
    await cache.clear()
    expect(await cache.getMany(["a"])).toEqual({})
    expect(await cache.get("b", undefined, { version: "other" })).toBeUndefined()
    expect(await cache.get("c", undefined, { version: null })).toBeUndefined()
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("touch sets a new expiry on a live entry, counted from now", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "v", { timeout: 1 })
    c.clock.advance(900)
    expect(await cache.touch("k", 2)).toBe(true)
    c.clock.advance(1999)
    expect(await cache.get("k")).toBe("v")
    c.clock.advance(1)
    expect(await cache.get("k")).toBeUndefined()
  })

  it("touch without a timeout uses the cache default; with null the entry never expires", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 10 })
    await cache.set("a", 1, { timeout: 1 })
    await cache.set("b", 2, { timeout: 1 })
    expect(await cache.touch("a")).toBe(true)
    expect(await cache.touch("b", null)).toBe(true)
    c.clock.advance(9_999)
    expect(await cache.getMany(["a", "b"])).toEqual({ a: 1, b: 2 })
    c.clock.advance(1)
    expect(await cache.getMany(["a", "b"])).toEqual({ b: 2 })
    c.clock.advance(10 ** 12)
    expect(await cache.get("b")).toBe(2)
  })

  it("touch returns false for a missing key and creates nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    expect(await cache.touch("missing", 5)).toBe(false)
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("touch keeps the value (and its type) intact", async () => {
    const cache = ctx().cache()
    const value = { when: new Date(0), tags: new Set(["a"]) }
    await cache.set("k", value)
    await cache.touch("k", 5)
    expect(await cache.get("k")).toEqual(value)
  })
}
