import { expect, it } from "vitest"
import { InvalidArgumentError } from "../../src/index.js"
import type { Context } from "./harness.js"

// Keys in an order that a wrong sort (numeric, locale, case-folding) would get wrong.
const keys = ["b", "a", "B", "", "ä", "10", "9", "__proto__", "a:b", "😀", "z"]

export function listingCases(ctx: () => Context): void {
  it("keys() of an empty cache is an empty array", async () => {
    expect(await ctx().cache().keys()).toEqual([])
    expect(await ctx().cache().entries()).toEqual([])
  })

  it("keys() lists the live keys, sorted in JavaScript's default string order", async () => {
    const cache = ctx().cache()
    await cache.setMany(keys.map((key, i) => [key, i] as const))
    expect(await cache.keys()).toEqual([...keys].sort())
  })

  it("entries() lists [key, value] pairs in the same order, values as stored", async () => {
    const cache = ctx().cache()
    await cache.setMany(keys.map((key) => [key, { key, at: new Date(0) }] as const))
    expect(await cache.entries()).toEqual([...keys].sort().map((key) => [key, { key, at: new Date(0) }]))
  })

  it("expired entries are left out, before any sweep", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("short", 1, { timeout: 1 })
    await cache.set("long", 2, { timeout: 60 })
    await cache.set("forever", 3, { timeout: null })
    expect(await cache.keys()).toEqual(["forever", "long", "short"])
    c.clock.advance(1_000)
    expect(await cache.keys()).toEqual(["forever", "long"])
    expect(await cache.entries()).toEqual([
      ["forever", 3],
      ["long", 2],
    ])
  })

  it("one version at a time: the cache's default, or { version }, whose identity is its string form", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("plain", 0)
    await cache.set("one", 1, { version: 1 })
    await cache.set("two", 2, { version: "2" })
    expect(await cache.keys()).toEqual(["plain"])
    expect(await cache.keys({ version: "1" })).toEqual(["one"])
    expect(await cache.entries({ version: 2 })).toEqual([["two", 2]])
    const versioned = c.cache({ name: cache.name, version: 1 })
    expect(await versioned.keys()).toEqual(["one"])
    expect(await versioned.keys({ version: null })).toEqual(["plain"])
  })

  it("other names are never listed", async () => {
    const c = ctx()
    const mine = c.cache()
    const theirs = c.cache()
    await mine.set("mine", 1)
    await theirs.set("theirs", 2)
    expect(await mine.keys()).toEqual(["mine"])
    expect(await theirs.entries()).toEqual([["theirs", 2]])
  })

  it("entries() returns copies: changing them changes nothing stored", async () => {
    const cache = ctx().cache()
    await cache.set("k", { list: [1] })
    const [[, value]] = (await cache.entries()) as [[string, { list: number[] }]]
    value.list.push(2)
    expect(await cache.get("k")).toEqual({ list: [1] })
    expect(await cache.entries()).toEqual([["k", { list: [1] }]])
  })

  it("a bad version or options object is an InvalidArgumentError, before anything is read", async () => {
    const { cache, calls } = ctx().counted()
    await expect(cache.keys({ version: true as never })).rejects.toThrow(InvalidArgumentError)
    await expect(cache.entries("v" as never)).rejects.toThrow(InvalidArgumentError)
    expect(calls.list ?? 0).toBe(0)
  })

  it("reads the store once per call", async () => {
    const { cache, calls } = ctx().counted()
    await cache.setMany({ a: 1, b: 2 })
    await cache.keys()
    await cache.entries()
    expect(calls.list).toBe(2)
  })
}
