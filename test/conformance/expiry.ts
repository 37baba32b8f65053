import { expect, it } from "vitest"
import { InvalidArgumentError, KeyNotFoundError } from "../../src/index.js"
import type { Context } from "./harness.js"

export function expiryCases(ctx: () => Context): void {
  it("a timeout is kept to the millisecond: live until the last ms, gone at the deadline", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "v", { timeout: 1 })
    c.clock.advance(999)
    expect(await cache.get("k")).toBe("v")
    c.clock.advance(1)
    expect(await cache.get("k")).toBeUndefined()
  })

  it("fractions of a second are allowed", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "v", { timeout: 0.25 })
    c.clock.advance(249)
    expect(await cache.get("k")).toBe("v")
    c.clock.advance(1)
    expect(await cache.get("k")).toBeUndefined()
  })

  it("a timeout counts from the write, not from the start of a second", async () => {
    const c = ctx()
    c.clock.advance(730) // mid-second: the reference would truncate and expire after 0.27 s
    const cache = c.cache()
    await cache.set("k", "v", { timeout: 1 })
    c.clock.advance(500)
    expect(await cache.get("k")).toBe("v")
  })

  it("an omitted or undefined timeout uses the cache default", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 2 })
    expect(cache.timeout).toBe(2)
    await cache.set("a", 1)
    await cache.set("b", 2, { timeout: undefined })
    await cache.setMany({ c: 3 })
    await cache.add("d", 4)
    await cache.getOrSet("e", 5)
    c.clock.advance(1999)
    expect(Object.keys(await cache.getMany(["a", "b", "c", "d", "e"]))).toHaveLength(5)
    c.clock.advance(1)
    expect(await cache.getMany(["a", "b", "c", "d", "e"])).toEqual({})
  })

  it("null never expires, even when the cache has a default timeout", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 1 })
    await cache.set("a", 1, { timeout: null })
    await cache.setMany({ b: 2 }, { timeout: null })
    await cache.add("c", 3, { timeout: null })
    await cache.getOrSet("d", 4, { timeout: null })
    c.clock.advance(10 ** 12)
    expect(await cache.getMany(["a", "b", "c", "d"])).toEqual({ a: 1, b: 2, c: 3, d: 4 })
  })

  it("a cache without a default timeout keeps entries forever", async () => {
    const c = ctx()
    const cache = c.cache()
    expect(cache.timeout).toBeNull()
    await cache.set("k", 1)
    c.clock.advance(10 ** 12)
    expect(await cache.get("k")).toBe(1)
  })

  it("set replaces the expiry along with the value", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", 1, { timeout: 1 })
    await cache.set("k", 2)
    c.clock.advance(5000)
    expect(await cache.get("k")).toBe(2)
    await cache.set("k", 3, { timeout: 1 })
    c.clock.advance(1000)
    expect(await cache.get("k")).toBeUndefined()
  })

  it("an expired entry is invisible to every method", async () => {
    const c = ctx()
    const cache = c.cache()
    const seed = async (): Promise<void> => {
      await cache.setMany({ k: 5, other: 1 }, { timeout: 1 })
      c.clock.advance(1000)
    }
    await seed()
    expect(await cache.get("k", "default")).toBe("default")
    expect(await cache.getMany(["k", "other"])).toEqual({})
    expect(await cache.touch("k", 10)).toBe(false)
    expect(await cache.delete("k")).toBe(false)
    expect(await cache.deleteMany(["k", "other"])).toBe(0)
    await seed()
    await expect(cache.incr("k")).rejects.toBeInstanceOf(KeyNotFoundError)
    await expect(cache.decr("k")).rejects.toBeInstanceOf(KeyNotFoundError)
    let calls = 0
    expect(await cache.getOrSet("k", () => ++calls)).toBe(1)
    expect(calls).toBe(1)
    await seed()
    expect(await cache.add("k", "fresh")).toBe(true)
    expect(await cache.get("k")).toBe("fresh")
  })

  it("sweep removes exactly the expired entries from storage", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 1 })
    await cache.setMany(Array.from({ length: 30 }, (_, i) => [`short-${i}`, i] as const))
    await cache.setMany(
      Array.from({ length: 20 }, (_, i) => [`long-${i}`, i] as const),
      { timeout: 5 },
    )
    await cache.setMany(
      Array.from({ length: 10 }, (_, i) => [`forever-${i}`, i] as const),
      { timeout: null },
    )
    expect(await c.rawCount(cache)).toBe(60)
    expect(await cache.sweep()).toBe(0)
    c.clock.advance(1000)
    expect(await cache.sweep()).toBe(30)
    expect(await c.rawCount(cache)).toBe(30)
    c.clock.advance(10 ** 9)
    expect(await cache.sweep()).toBe(20)
    expect(await c.rawCount(cache)).toBe(10)
    expect(Object.keys(await cache.getMany(Array.from({ length: 10 }, (_, i) => `forever-${i}`)))).toHaveLength(10)
  })

  // 1,234 entries written and swept: 2–4 s on fake-indexeddb on a busy machine, near the default 5 s.
  it("sweep works through more expired entries than one batch holds", { timeout: 20_000 }, async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.setMany(
      Array.from({ length: 1234 }, (_, i) => [`k${i}`, i] as const),
      { timeout: 1 },
    )
    await cache.set("keep", 1)
    c.clock.advance(1000)
    expect(await cache.sweep()).toBe(1234)
    expect(await c.rawCount(cache)).toBe(1)
  })

  it("connecting sweeps expired entries in the background", async () => {
    const c = ctx()
    const writer = c.cache()
    await writer.set("old", 1, { timeout: 1 })
    await writer.set("keep", 1)
    await writer.disconnect()
    c.clock.advance(1000)
    const reader = c.cache({ name: writer.name, sweepInterval: 60 })
    await reader.connect()
    await expect.poll(() => c.rawCount(reader), { timeout: 2000, interval: 10 }).toBe(1)
  })

  it("incr and decr keep the entry's expiry", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("n", 1, { timeout: 1 })
    c.clock.advance(500)
    expect(await cache.incr("n")).toBe(2)
    expect(await cache.decr("n", 5)).toBe(-3)
    c.clock.advance(499)
    expect(await cache.get("n")).toBe(-3)
    c.clock.advance(1)
    expect(await cache.get("n")).toBeUndefined()
  })

  const badTimeouts: Array<[string, unknown]> = [
    ["0", 0],
    ["-1", -1],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a string", "60"],
    ["a boolean", true],
    ["an object", {}],
    ["a BigInt", 10n],
  ]

  it.each(badTimeouts)(
    "a timeout of %s is rejected naming the argument, and nothing is written",
    async (_, timeout) => {
      const c = ctx()
      const cache = c.cache()
      await cache.set("k", "before", { timeout: 5 })
      const t = timeout as number
      for (const attempt of [
        () => cache.set("k", "after", { timeout: t }),
        () => cache.set("new", 1, { timeout: t }),
        () => cache.add("new", 1, { timeout: t }),
        () => cache.getOrSet("new", 1, { timeout: t }),
        () => cache.setMany({ k: "after", new: 1 }, { timeout: t }),
        () => cache.touch("k", t),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(InvalidArgumentError)
        expect((error as Error).message).toMatch(/timeout/)
      }
      expect(await cache.getMany(["k", "new"])).toEqual({ k: "before" })
      c.clock.advance(5000)
      expect(await cache.get("k")).toBeUndefined() // touch did not extend it
      expect(() => c.cache({ timeout: t })).toThrow(InvalidArgumentError)
    },
  )
}
