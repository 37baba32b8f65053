import { expect, it } from "vitest"
import { CacheError, InvalidArgumentError, KeyNotFoundError, NotANumberError } from "../../src/index.js"
import type { Context } from "./harness.js"

export function counterCases(ctx: () => Context): void {
  it("incr and decr add and subtract 1 by default and return the new value", async () => {
    const cache = ctx().cache()
    await cache.set("n", 10)
    expect(await cache.incr("n")).toBe(11)
    expect(await cache.decr("n")).toBe(10)
    expect(await cache.get("n")).toBe(10)
  })

  it("incr and decr take any finite delta, fractions and negatives included", async () => {
    const cache = ctx().cache()
    await cache.set("n", 1)
    expect(await cache.incr("n", 2.5)).toBe(3.5)
    expect(await cache.incr("n", -4)).toBe(-0.5)
    expect(await cache.decr("n", -0.5)).toBe(0)
    expect(await cache.decr("n", 10)).toBe(-10)
  })

  it("incr on a missing key fails with KeyNotFoundError and creates nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    const error = await cache.incr("nope").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeyNotFoundError)
    expect(error).toBeInstanceOf(CacheError)
    expect((error as KeyNotFoundError).code).toBe("ERR_KEY_NOT_FOUND")
    expect((error as Error).message).toContain('"nope"')
    await expect(cache.decr("nope")).rejects.toBeInstanceOf(KeyNotFoundError)
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("incr on a key of another version is a miss", async () => {
    const cache = ctx().cache()
    await cache.set("n", 1, { version: 1 })
    await expect(cache.incr("n")).rejects.toBeInstanceOf(KeyNotFoundError)
    expect(await cache.incr("n", 1, { version: 1 })).toBe(2)
  })

  it.each([
    ["a string", "5"],
    ["null", null],
    ["an object", { n: 1 }],
    ["a BigInt", 5n],
    ["a boolean", true],
  ])("incr on %s fails with NotANumberError and leaves the value", async (_, value) => {
    const cache = ctx().cache()
    await cache.set("v", value)
    const error = await cache.incr("v").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotANumberError)
    expect((error as NotANumberError).code).toBe("ERR_NOT_A_NUMBER")
    expect((error as Error).message).toContain('"v"')
    await expect(cache.decr("v")).rejects.toBeInstanceOf(NotANumberError)
    expect(await cache.get("v")).toEqual(value)
  })

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "1"],
    ["null", null],
    ["a BigInt", 1n],
  ])("a delta of %s is rejected and the value is unchanged", async (_, delta) => {
    const cache = ctx().cache()
    await cache.set("n", 1)
    for (const attempt of [() => cache.incr("n", delta as number), () => cache.decr("n", delta as number)]) {
      const error = await attempt().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidArgumentError)
      expect((error as Error).message).toMatch(/delta/)
    }
    expect(await cache.get("n")).toBe(1)
  })

  it("no update is lost: 500 concurrent incr from two caches of one name add exactly 500", async () => {
    const { cache: make } = ctx()
    const a = make()
    const b = make({ name: a.name })
    await a.set("n", 0)
    const seen = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).incr("n")))
    expect(await a.get("n")).toBe(500)
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
  })

  it("concurrent incr and decr balance out", async () => {
    const cache = ctx().cache()
    await cache.set("n", 0)
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? cache.incr("n", 3) : cache.decr("n", 3))))
    expect(await cache.get("n")).toBe(0)
  })
}
