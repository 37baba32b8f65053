import { expect, it } from "vitest"
import { NotStorableError } from "../../src/index.js"
import type { Context } from "./harness.js"

export function batchCases(ctx: () => Context): void {
  it("getMany returns a plain object of the live keys found, leaving out misses", async () => {
    const cache = ctx().cache()
    await cache.setMany({ a: 1, b: { two: 2 } })
    const found = await cache.getMany(["a", "b", "missing"])
    expect(found).toEqual({ a: 1, b: { two: 2 } })
    expect(Object.getPrototypeOf(found)).toBe(Object.prototype)
    expect("missing" in found).toBe(false)
  })

  it("getMany accepts duplicates and any iterable, and returns {} for no keys", async () => {
    const cache = ctx().cache()
    await cache.set("a", 1)
    expect(await cache.getMany(["a", "a"])).toEqual({ a: 1 })
    expect(await cache.getMany(new Set(["a"]))).toEqual({ a: 1 })
    expect(await cache.getMany([])).toEqual({})
  })

  it("getMany reads in one store call (or none, where the store answers a peek at once)", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.setMany({ a: 1, b: 2, c: 3 })
    calls.getMany = 0
    expect(await cache.getMany(["a", "b", "c", "d"])).toEqual({ a: 1, b: 2, c: 3 })
    expect(calls.getMany ?? 0).toBeLessThanOrEqual(1)
    expect((calls.getMany ?? 0) + (calls.peek ?? 0)).toBeGreaterThanOrEqual(1)
  })

  it("setMany accepts a plain object, a Map, and an iterable of pairs", async () => {
    const cache = ctx().cache()
    await cache.setMany({ a: 1 })
    await cache.setMany(new Map([["b", 2]]))
    await cache.setMany([["c", 3]] as const)
    function* pairs(): Generator<[string, number]> {
      yield ["d", 4]
    }
    await cache.setMany(pairs())
    expect(await cache.getMany(["a", "b", "c", "d"])).toEqual({ a: 1, b: 2, c: 3, d: 4 })
  })

  it("setMany writes all entries in one store call, with timeout and version", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.setMany({ a: 1, b: 2 }, { timeout: 1, version: "v" })
    expect(calls.setMany).toBe(1)
    expect(await cache.getMany(["a", "b"])).toEqual({})
    expect(await cache.getMany(["a", "b"], { version: "v" })).toEqual({ a: 1, b: 2 })
    c.clock.advance(1000)
    expect(await cache.getMany(["a", "b"], { version: "v" })).toEqual({})
  })

  it("setMany with a later duplicate key keeps the later value", async () => {
    const cache = ctx().cache()
    await cache.setMany([
      ["k", 1],
      ["k", 2],
    ])
    expect(await cache.get("k")).toBe(2)
  })

  it("setMany is all-or-nothing: one bad value writes nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("a", "before")
    await expect(cache.setMany({ a: "after", b: 2, c: () => 3 })).rejects.toBeInstanceOf(NotStorableError)
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ a: "before" })
    expect(await c.rawCount(cache)).toBe(1)
  })

  it("setMany of nothing is a no-op", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.setMany({})
    await cache.setMany([])
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("deleteMany removes keys in one store call and counts the live entries removed", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.setMany({ a: 1, b: 2, c: 3 })
    await cache.set("old", 0, { timeout: 1 })
    c.clock.advance(1000)
    expect(await cache.deleteMany(["a", "b", "a", "missing", "old"])).toBe(2)
    // One store call: an update, or the store's own deleteLive.
    expect((calls.update ?? 0) + (calls.deleteLive ?? 0)).toBe(1)
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ c: 3 })
    expect(await c.rawCount(cache)).toBe(1)
  })

  it("deleteMany honours the version and returns 0 for no keys", async () => {
    const cache = ctx().cache()
    await cache.set("a", 1, { version: 1 })
    expect(await cache.deleteMany(["a"])).toBe(0)
    expect(await cache.deleteMany(["a"], { version: "1" })).toBe(1)
    expect(await cache.deleteMany([])).toBe(0)
  })
}

export function concurrencyCases(ctx: () => Context): void {
  it("calls issued together take effect in issue order: a get issued after a set sees it", async () => {
    const cache = ctx().cache()
    await cache.set("a", "old")
    const results = await Promise.all([
      cache.get("a"),
      cache.set("a", "new"),
      cache.get("a"),
      cache.incr("n").catch((e: unknown) => (e as Error).name),
      cache.add("n", 1),
      cache.incr("n", 2),
      cache.delete("a"),
      cache.get("a", "gone"),
      cache.getMany(["a", "n"]),
      cache.clear(),
      cache.get("n", "cleared"),
    ])
    expect(results).toEqual([
      "old",
      undefined,
      "new",
      "KeyNotFoundError",
      true,
      3,
      true,
      "gone",
      { n: 3 },
      undefined,
      "cleared",
    ])
  })

  it("calls issued together succeed or fail each on their own", async () => {
    const cache = ctx().cache()
    await cache.set("text", "not a number")
    const results = await Promise.allSettled([
      cache.set("a", 1),
      cache.incr("missing"),
      cache.set("b", () => 2),
      cache.incr("text"),
      cache.setMany({ c: 3, d: 4 }),
      cache.getOrSet("e", () => {
        throw new Error("factory failed")
      }),
      cache.add("f", 6),
    ])
    expect(results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as Error).name))).toEqual([
      "ok",
      "KeyNotFoundError",
      "NotStorableError",
      "NotANumberError",
      "ok",
      "Error",
      "ok",
    ])
    expect(await cache.getMany(["a", "b", "c", "d", "e", "f", "text"])).toEqual({
      a: 1,
      c: 3,
      d: 4,
      f: 6,
      text: "not a number",
    })
  })
}
