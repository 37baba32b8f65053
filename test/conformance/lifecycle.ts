import { expect, it } from "vitest"
import { Cache, InvalidArgumentError } from "../../src/index.js"
import { type Context, uniqueName } from "./harness.js"

export function lifecycleCases(ctx: () => Context): void {
  it("has the documented defaults", () => {
    const cache = new Cache({ store: ctx().storeOption() })
    expect(cache.name).toBe("isocache")
    expect(cache.timeout).toBeNull()
    expect(cache.version).toBeNull()
    expect(cache.storeKind).toBeNull()
  })

  it("reports which store it uses once connected", async () => {
    const c = ctx()
    const cache = c.cache()
    expect(cache.storeKind).toBeNull()
    await cache.connect()
    expect(cache.storeKind).toBe(c.target.kind)
  })

  it("accepts a URL: scheme = store, rest = name, query = options; explicit options win", async ({ skip }) => {
    const c = ctx()
    const name = uniqueName()
    const url = c.url(name, "timeout=60&version=2")
    if (url === null) return skip(`no URL scheme selects a ${c.target.kind} store (a custom store)`)
    const cache = new Cache(url, { clock: c.clock.now })
    expect(cache.name).toBe(name)
    expect(cache.timeout).toBe(60)
    expect(cache.version).toBe("2")
    const overridden = new Cache(url, { timeout: null, version: 3 })
    expect(overridden.timeout).toBeNull()
    expect(overridden.version).toBe("3")
    await cache.set("k", "v")
    expect(await c.cache({ name }).get("k", undefined, { version: 2 })).toBe("v")
    expect(cache.storeKind).toBe(c.target.kind)
    await cache.disconnect()
  })

  it.each([
    ["an unknown scheme", "redis2://x"],
    ["no scheme", "my-app"],
    ["timeout=0", "memory://x?timeout=0"],
    ["a negative timeout", "memory://x?timeout=-5"],
    ["a non-numeric timeout", "memory://x?timeout=soon"],
    ["an empty timeout", "memory://x?timeout="],
    ["timeout=Infinity", "memory://x?timeout=Infinity"],
    ["an unknown parameter", "memory://x?ttl=5"],
    ["a bad maxEntries", "memory://x?maxEntries=-1"],
  ])("a URL with %s is an InvalidArgumentError at construction", (_, url) => {
    expect(() => new Cache(url)).toThrow(InvalidArgumentError)
  })

  it.each([
    ["store", { store: "localstorage" }],
    ["store object", { store: { kind: "x" } }],
    ["name", { name: 5 }],
    ["empty name", { name: "" }],
    ["timeout", { timeout: 0 }],
    ["version", { version: {} }],
    ["clock", { clock: 5 }],
    ["maxEntries", { maxEntries: 1.5 }],
    ["sweepInterval", { sweepInterval: -1 }],
  ])("a bad %s option is an InvalidArgumentError at construction", (option, options) => {
    expect(() => new Cache(options as never)).toThrow(InvalidArgumentError)
    expect(() => new Cache(options as never)).toThrow(new RegExp(option.split(" ")[0] as string))
  })

  it("connect is idempotent: concurrent and repeated calls open once", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await Promise.all([cache.connect(), cache.connect(), cache.get("k")])
    await cache.connect()
    expect(calls.open).toBe(1)
  })

  it("a call before connect connects on first use", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.set("k", 1)
    expect(calls.open).toBe(1)
    expect(await cache.get("k")).toBe(1)
  })

  it("disconnect closes the store; data persists; a later call reconnects", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.set("k", "kept")
    await cache.disconnect()
    expect(calls.close).toBe(1)
    expect(await cache.get("k")).toBe("kept")
    expect(calls.open).toBe(2)
  })

  it("disconnect twice, or before connecting, is harmless", async () => {
    const c = ctx()
    const { cache, calls } = c.counted()
    await cache.disconnect()
    await cache.connect()
    await Promise.all([cache.disconnect(), cache.disconnect()])
    await cache.disconnect()
    expect(calls.close).toBe(1)
    await cache.connect()
    await cache.connect()
    expect(calls.open).toBe(2)
  })

  it("disconnect waits for the calls under way", async () => {
    const cache = ctx().cache()
    const writes = Array.from({ length: 20 }, (_, i) => cache.set(`k${i}`, i))
    await cache.disconnect()
    await Promise.all(writes)
    expect(Object.keys(await cache.getMany(Array.from({ length: 20 }, (_, i) => `k${i}`)))).toHaveLength(20)
  })

  it("await using disconnects at the end of the scope", async ({ skip }) => {
    skip(typeof Symbol.asyncDispose !== "symbol", "this engine has no Symbol.asyncDispose (nor `await using`)")
    const { inAwaitUsingScope } = await import("./await-using.js")
    const c = ctx()
    const { cache: counted, calls } = c.counted()
    await inAwaitUsingScope(counted, async (cache) => {
      await cache.set("k", 1)
      expect(calls.close ?? 0).toBe(0)
    })
    expect(calls.close).toBe(1)
  })

  it("two caches of one name see the same entries", async () => {
    const c = ctx()
    const a = c.cache()
    const b = c.cache({ name: a.name })
    await a.set("k", "from a")
    expect(await b.get("k")).toBe("from a")
    await b.delete("k")
    expect(await a.get("k")).toBeUndefined()
  })

  it("connecting never wipes what another cache of the same name stored", async () => {
    const c = ctx()
    const a = c.cache()
    await a.set("k", "kept")
    const b = c.cache({ name: a.name })
    await b.connect()
    await b.disconnect()
    await b.connect()
    expect(await a.get("k")).toBe("kept")
    expect(await b.get("k")).toBe("kept")
  })

  it("caches of different names are isolated; clear touches only its own", async () => {
    const c = ctx()
    const a = c.cache()
    const b = c.cache()
    await a.set("k", "a")
    await b.set("k", "b")
    expect(await a.get("k")).toBe("a")
    await a.clear()
    expect(await a.get("k")).toBeUndefined()
    expect(await b.get("k")).toBe("b")
    expect(await c.rawCount(b)).toBe(1)
  })

  it("a cache name containing separators stays isolated from its look-alikes", async () => {
    const c = ctx()
    const base = uniqueName()
    const a = c.cache({ name: `${base}:x` })
    const b = c.cache({ name: base })
    await a.set("k", "a")
    expect(await b.get("k")).toBeUndefined()
    expect(await b.get("x:k")).toBeUndefined()
  })
}
