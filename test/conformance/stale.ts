// Stale entries (serving offline): windows after an entry's expiry during which getOrSet may still
// answer with it, kept in storage until the longer window ends, in every store.
import { expect, it } from "vitest"
import { type FactoryContext, InvalidArgumentError } from "../../src/index.js"
import type { Context } from "./harness.js"

/** A promise to settle by hand, to hold a factory mid-flight. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets background work (a refresh and its write) finish. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

export function staleCases(ctx: () => Context): void {
  it("an expired entry within its windows is invisible to every method but getEntry and getOrSet", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "old", { timeout: 10, staleWhileRevalidate: 60, staleIfError: 120 })
    await cache.set("n", 5, { timeout: 10, staleIfError: 60 })
    c.clock.advance(10_000)
    expect(await cache.get("k")).toBeUndefined()
    expect(await cache.getMany(["k", "n"])).toEqual({})
    expect(await cache.keys()).toEqual([])
    expect(await cache.entries()).toEqual([])
    await expect(cache.incr("n")).rejects.toMatchObject({ code: "ERR_KEY_NOT_FOUND" })
    expect(await cache.touch("k", 100)).toBe(false)
    expect(await cache.getEntry("k")).toEqual({ value: "old", expiresAt: c.clock.now(), stale: true })
    expect(await cache.add("n", 1)).toBe(true)
    expect(await cache.get("n")).toBe(1)
  })

  it("getEntry: live with its expiry, stale within the longer window, then undefined", async () => {
    const c = ctx()
    const cache = c.cache()
    const start = c.clock.now()
    await cache.set("k", { a: 1 }, { timeout: 10, staleWhileRevalidate: 5, staleIfError: 30 })
    await cache.set("forever", 1)
    expect(await cache.getEntry("k")).toEqual({ value: { a: 1 }, expiresAt: start + 10_000, stale: false })
    expect(await cache.getEntry("forever")).toEqual({ value: 1, expiresAt: null, stale: false })
    expect(await cache.getEntry("missing")).toBeUndefined()
    c.clock.advance(39_999)
    expect(await cache.getEntry("k")).toMatchObject({ stale: true, expiresAt: start + 10_000 })
    c.clock.advance(1)
    expect(await cache.getEntry("k")).toBeUndefined()
  })

  it("stale entries stay in storage until the longer window ends; sweeps remove them only then", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("swr", 1, { timeout: 1, staleWhileRevalidate: 10 })
    await cache.set("sie", 2, { timeout: 1, staleIfError: 20 })
    await cache.set("plain", 3, { timeout: 1 })
    c.clock.advance(5_000)
    expect(await cache.sweep()).toBe(1)
    expect(await c.rawCount(cache)).toBe(2)
    c.clock.advance(6_000)
    expect(await cache.sweep()).toBe(1)
    expect(await cache.getEntry("sie")).toMatchObject({ value: 2, stale: true })
    c.clock.advance(10_000)
    expect(await cache.sweep()).toBe(1)
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("cache-wide defaults apply to writes that give none; null turns them off; never-expiring entries have none", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 10, staleWhileRevalidate: 30, staleIfError: 60 })
    await cache.set("default", 1)
    await cache.set("off", 2, { staleWhileRevalidate: null, staleIfError: null })
    await cache.set("forever", 3, { timeout: null })
    c.clock.advance(10_000)
    expect(await cache.getEntry("default")).toMatchObject({ stale: true })
    expect(await cache.getEntry("off")).toBeUndefined()
    expect(await cache.getEntry("forever")).toMatchObject({ stale: false, expiresAt: null })
  })

  it("delete, deleteMany and clear remove stale entries too and count only live ones; set replaces one", async () => {
    const c = ctx()
    const cache = c.cache()
    const stale = { timeout: 1, staleIfError: 100 }
    await cache.setMany({ a: 1, b: 2, c: 3, d: 4 }, stale)
    await cache.set("live", 5)
    c.clock.advance(1_000)
    expect(await cache.delete("a")).toBe(false)
    expect(await cache.deleteMany(["b", "live"])).toBe(1)
    await cache.set("c", "new")
    expect(await cache.getEntry("c")).toMatchObject({ value: "new", stale: false, expiresAt: null })
    expect(await cache.getOrSet("a", () => Promise.reject(new Error("offline")), stale).catch(String)).toBe(
      "Error: offline",
    )
    await cache.clear()
    expect(await cache.getEntry("d")).toBeUndefined()
    expect(await c.rawCount(cache)).toBe(0)
  })

  it("touch keeps the windows, counted from the new expiry; touch(null) drops them", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", 1, { timeout: 10, staleIfError: 30 })
    await cache.set("n", 1, { timeout: 10, staleIfError: 30 })
    c.clock.advance(5_000)
    expect(await cache.touch("k", 10)).toBe(true)
    expect(await cache.touch("n", null)).toBe(true)
    expect(await cache.incr("k")).toBe(2)
    c.clock.advance(10_000)
    expect(await cache.getEntry("k")).toEqual({ value: 2, expiresAt: c.clock.now(), stale: true })
    c.clock.advance(30_000)
    expect(await cache.getEntry("k")).toBeUndefined()
    expect(await cache.getEntry("n")).toEqual({ value: 1, expiresAt: null, stale: false })
  })

  it("within staleWhileRevalidate: the stale value at once, one background refresh for many calls", async () => {
    const c = ctx()
    const cache = c.cache()
    const options = { timeout: 10, staleWhileRevalidate: 60 }
    await cache.set("k", "old", options)
    c.clock.advance(15_000)
    const fresh = deferred<string>()
    const contexts: Array<FactoryContext<string>> = []
    const factory = (context: FactoryContext<string>): Promise<string> => {
      contexts.push(context)
      return fresh.promise
    }
    const answers = await Promise.all([1, 2, 3].map(() => cache.getOrSet("k", factory, options)))
    expect(answers).toEqual(["old", "old", "old"])
    expect(await cache.getOrSet("k", factory, options)).toBe("old")
    expect(contexts).toHaveLength(1)
    expect(contexts[0]).toMatchObject({ background: true, stale: { value: "old", expiresAt: c.clock.now() - 5_000 } })
    fresh.resolve("new")
    await settle()
    expect(await cache.getEntry("k")).toEqual({ value: "new", expiresAt: c.clock.now() + 10_000, stale: false })
  })

  it("a failed background refresh throws at nobody, leaves the stale entry, and reaches onRefreshError", async () => {
    const c = ctx()
    const seen: Array<[string, string]> = []
    const cache = c.cache({
      onRefreshError: (error, key) => {
        seen.push([key, String(error)])
        throw new Error("a throwing listener harms nobody")
      },
    })
    await cache.set("k", "old", { timeout: 10, staleWhileRevalidate: 60 })
    c.clock.advance(10_000)
    expect(await cache.getOrSet("k", () => Promise.reject(new Error("offline")))).toBe("old")
    await settle()
    expect(seen).toEqual([["k", "Error: offline"]])
    expect(await cache.getEntry("k")).toMatchObject({ value: "old", stale: true })
  })

  it("a refresh never overwrites a live entry another writer stored meanwhile", async () => {
    const c = ctx()
    const cache = c.cache()
    const other = c.cache({ name: cache.name })
    await cache.set("k", "old", { timeout: 10, staleWhileRevalidate: 60 })
    c.clock.advance(10_000)
    const fresh = deferred<string>()
    expect(await cache.getOrSet("k", () => fresh.promise)).toBe("old")
    await other.set("k", "theirs")
    fresh.resolve("refreshed")
    await settle()
    expect(await cache.get("k")).toBe("theirs")
  })

  it("disconnect() does not wait for a background refresh, and one finishing after it stores nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "old", { timeout: 10, staleWhileRevalidate: 60 })
    c.clock.advance(10_000)
    const fresh = deferred<string>()
    expect(await cache.getOrSet("k", () => fresh.promise)).toBe("old")
    await cache.disconnect() // returns although the refresh's factory never settled yet
    fresh.resolve("late")
    await settle()
    const reader = c.cache({ name: cache.name })
    expect(await reader.getEntry("k")).toMatchObject({ value: "old", stale: true })
  })

  it("within staleIfError: the factory runs; its failure returns the stale value; past both windows, a miss", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "old", { timeout: 10, staleIfError: 60 })
    c.clock.advance(20_000)
    let calls = 0
    const failing = async (): Promise<string> => {
      calls++
      throw new Error("offline")
    }
    expect(await cache.getOrSet("k", failing)).toBe("old")
    expect(calls).toBe(1)
    expect(await cache.getOrSet("k", async () => "new", { timeout: 5 })).toBe("new")
    expect(await cache.getEntry("k")).toEqual({ value: "new", expiresAt: c.clock.now() + 5_000, stale: false })
    await cache.set("gone", "old", { timeout: 10, staleIfError: 60 })
    c.clock.advance(70_000)
    await expect(cache.getOrSet("gone", failing)).rejects.toThrow("offline")
  })

  it("forceFresh runs the factory on a live entry and replaces it; a failure returns the live entry", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "v1", { timeout: 10 })
    expect(await cache.getOrSet("k", async () => "v2", { forceFresh: true })).toBe("v2")
    expect(await cache.get("k")).toBe("v2")
    expect(await cache.getOrSet("k", () => Promise.reject(new Error("x")), { forceFresh: true })).toBe("v2")
    await cache.set("s", "old", { timeout: 1, staleWhileRevalidate: 60 })
    c.clock.advance(2_000)
    // Within staleWhileRevalidate too, forceFresh waits for the factory.
    expect(await cache.getOrSet("s", async () => "waited", { forceFresh: true })).toBe("waited")
    // Only staleIfError lets a failure fall back on a stale entry.
    await cache.set("s", "old", { timeout: 1, staleWhileRevalidate: 60 })
    c.clock.advance(2_000)
    await expect(cache.getOrSet("s", () => Promise.reject(new Error("x")), { forceFresh: true })).rejects.toThrow("x")
    await expect(cache.getOrSet("s", async () => 1, { forceFresh: "yes" as never })).rejects.toThrow(
      InvalidArgumentError,
    )
  })

  it("the factory's context sets the timeout from the value, or keeps the result out of the cache", async () => {
    const c = ctx()
    const cache = c.cache({ timeout: 60 })
    const value = await cache.getOrSet("k", (context) => {
      expect(context).toMatchObject({ background: false, stale: undefined, timeout: 60 })
      context.timeout = 5
      return "short"
    })
    expect(value).toBe("short")
    expect(await cache.getEntry("k")).toMatchObject({ expiresAt: c.clock.now() + 5_000 })
    await cache.getOrSet("reset", (context) => {
      context.timeout = undefined as never // undefined means the default, as everywhere
      return 1
    })
    expect(await cache.getEntry("reset")).toMatchObject({ expiresAt: c.clock.now() + 60_000 })
    const skipped = await cache.getOrSet("error-page", (context) => {
      context.noCache()
      return { status: 503 }
    })
    expect(skipped).toEqual({ status: 503 })
    expect(await cache.getEntry("error-page")).toBeUndefined()
    await expect(
      cache.getOrSet("bad", (context) => {
        context.timeout = -1
        return 1
      }),
    ).rejects.toThrow(/context\.timeout/)
    expect(await cache.get("bad")).toBeUndefined()
  })

  it("bad stale windows are rejected before anything is written", async () => {
    const c = ctx()
    const cache = c.cache()
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "60"]) {
      await expect(cache.set("k", 1, { timeout: 1, staleWhileRevalidate: bad as number })).rejects.toThrow(
        /staleWhileRevalidate/,
      )
      await expect(cache.setMany({ k: 1 }, { timeout: 1, staleIfError: bad as number })).rejects.toThrow(/staleIfError/)
    }
    expect(() => c.cache({ staleIfError: 0 })).toThrow(/options\.staleIfError/)
    expect(await cache.getEntry("k")).toBeUndefined()
  })
}
