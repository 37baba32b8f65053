import { afterEach, describe, expect, it } from "vitest"
import { Cache, type CacheOptions, KeyNotFoundError, NotStorableError } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { fakeClock, uniqueName } from "../conformance/harness.js"
import { entryPattern, keysMatching, skipRedis, useRedis } from "./server.js"

const layoutOf = (name: string) => redisLayout("isocache:", name)

describe.skipIf(skipRedis)("redis store: layout, expiry, data", () => {
  const redis = useRedis()
  const opened: Cache[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.disconnect()))
  })
  const cacheOn = (name: string, options: CacheOptions = {}): Cache => {
    const cache = new Cache({
      sweepInterval: null,
      ...options,
      name,
      store: createRedisStore({ url: redis.server.url }),
    })
    opened.push(cache)
    return cache
  }
  const keysOf = (name: string) => keysMatching(redis.raw, entryPattern(name))

  it('keeps an entry at isocache:{"name"}["version","key"], every entry in one sorted set, expiring ones in another', async () => {
    const id = uniqueName()
    const name = `${id} a*b?[c]\\"d{e}`
    const clock = fakeClock()
    const cache = cacheOn(name, { clock: clock.now })
    await cache.set("k", 1, { version: 2, timeout: 5 })
    await cache.set('x","y', "forever")
    // The braces of the name are escaped in its hash tag, which ends at the first "}".
    const base = `isocache:{"${id} a*b?[c]\\\\\\"d\\u007be\\u007d"}`
    expect(layoutOf(name).base).toBe(base)
    expect((await keysOf(name)).sort()).toEqual([`${base}["","x\\",\\"y"]`, `${base}["2","k"]`].sort())
    const all = (await redis.raw.sendCommand(["ZRANGE", `${base}:entries`, "0", "-1", "WITHSCORES"])) as unknown[]
    expect(all.flat().map(String)).toEqual([`["","x\\",\\"y"]`, "0", `["2","k"]`, "0"])
    const expiring = (await redis.raw.sendCommand(["ZRANGE", `${base}:expiry`, "0", "-1", "WITHSCORES"])) as unknown[]
    expect(expiring.flat().map(String)).toEqual([`["2","k"]`, String(clock.now() + 5000)])
    expect(await redis.raw.sendCommand(["EXISTS", `${base}:entries`, `${base}:expiry`])).toBe(2)
    expect(JSON.parse(base.slice("isocache:{".length, -1))).toBe(name)
  })

  it("never confuses names, versions and keys that join into the same string", async () => {
    const base = uniqueName()
    const a = cacheOn(`${base}","`)
    const b = cacheOn(base)
    await a.set("k", "a")
    await b.set("k", "b", { version: `","k` })
    await b.set(`${base}","k`, "b2")
    expect(await a.get("k")).toBe("a")
    expect(await b.get("k", undefined, { version: `","k` })).toBe("b")
    expect(await b.get("k")).toBeUndefined()
  })

  it("clear removes only this name's keys (glob characters in names included), in batches", async () => {
    const base = uniqueName()
    const star = cacheOn(`${base}*`)
    const plain = cacheOn(`${base}x`)
    const bracket = cacheOn(`${base}[x]`)
    await star.setMany(
      Array.from({ length: 2500 }, (_, i) => [`k${i}`, i] as const),
      { timeout: 60 },
    )
    await plain.set("k", "kept", { timeout: 60 })
    await bracket.set("k", "kept")
    await redis.raw.sendCommand(["SET", "isocache:unrelated", "app data"])
    await star.clear()
    expect(await keysOf(`${base}*`)).toEqual([])
    expect(await redis.raw.sendCommand(["EXISTS", layoutOf(`${base}*`).index, layoutOf(`${base}*`).entries])).toBe(0)
    expect(await plain.get("k")).toBe("kept")
    expect(await bracket.get("k")).toBe("kept")
    expect(await redis.raw.sendCommand(["EXISTS", layoutOf(`${base}x`).index, layoutOf(`${base}x`).entries])).toBe(2)
    expect(String(await redis.raw.sendCommand(["GET", "isocache:unrelated"]))).toBe("app data")
  })

  it("list and clear read the name's set of entries, no SCAN; an entry gone from Redis is left out", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    await cache.setMany({ a: 1, b: 2, c: 3 })
    await cache.set("v2", 1, { version: 2 })
    // Evicted or deleted behind the store's back: its member stays until a clear.
    await redis.raw.sendCommand(["DEL", layoutOf(name).entryKey(["", "b"])])
    await cache.connect()
    await redis.raw.sendCommand(["CONFIG", "RESETSTAT"])
    expect(await cache.keys()).toEqual(["a", "c"])
    await cache.clear()
    const stats = String(await redis.raw.sendCommand(["INFO", "commandstats"]))
    expect(stats).not.toMatch(/cmdstat_scan:/)
    expect(stats).toMatch(/cmdstat_zrangebylex:calls=1,/)
    expect(await redis.raw.sendCommand(["EXISTS", layoutOf(name).entries, layoutOf(name).index])).toBe(0)
    expect(await keysOf(name)).toEqual([])
  })

  it("with the real clock, Redis expires entries itself: they leave the server", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    await cache.set("short", 1, { timeout: 0.3 })
    await cache.set("forever", 1)
    const [key] = (await keysOf(name)).filter((k) => k.endsWith('"short"]'))
    const ttl = (await redis.raw.sendCommand(["PTTL", key as string])) as number
    expect(ttl).toBeGreaterThan(200)
    expect(ttl).toBeLessThanOrEqual(301)
    expect(await redis.raw.sendCommand(["PTTL", layoutOf(name).entryKey(["", "forever"])])).toBe(-1)
    await expect.poll(() => redis.raw.sendCommand(["EXISTS", key as string]), { timeout: 2000, interval: 20 }).toBe(0)
    expect(await cache.get("short")).toBeUndefined()
    // The index record outlives the entry until a sweep drops it.
    expect(await cache.sweep()).toBe(1)
    expect(await redis.raw.sendCommand(["EXISTS", layoutOf(name).index])).toBe(0)
    expect(await redis.raw.sendCommand(["ZCARD", layoutOf(name).entries])).toBe(1)
  })

  it("incr keeps the server expiry and touch replaces it", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const key = layoutOf(name).entryKey(["", "n"])
    await cache.set("n", 1, { timeout: 30 })
    await cache.incr("n")
    const kept = (await redis.raw.sendCommand(["PTTL", key])) as number
    expect(kept).toBeGreaterThan(25_000)
    expect(kept).toBeLessThanOrEqual(30_000)
    await cache.touch("n", 600)
    expect(await redis.raw.sendCommand(["PTTL", key])).toBeGreaterThan(590_000)
    await cache.touch("n", null)
    expect(await redis.raw.sendCommand(["PTTL", key])).toBe(-1)
    expect(await cache.get("n")).toBe(2)
  })

  it("with a clock in the real past, entries get no server expiry and the sweep removes them", async () => {
    const name = uniqueName()
    const clock = fakeClock()
    const cache = cacheOn(name, { clock: clock.now })
    await cache.set("k", 1, { timeout: 1 })
    expect(await redis.raw.sendCommand(["PTTL", layoutOf(name).entryKey(["", "k"])])).toBe(-1)
    clock.advance(1000)
    expect(await cache.sweep()).toBe(1)
    expect(await keysOf(name)).toEqual([])
  })

  it("reads bytes it did not write as misses, never crashes, and overwrites them", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const at = (key: string) => layoutOf(name).entryKey(["", key])
    const header = Buffer.from([0x49, 0x43, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    await redis.raw.sendCommand(["SET", at("text"), "plain text"])
    await redis.raw.sendCommand(["SET", at("empty"), ""])
    await redis.raw.sendCommand(["SET", at("truncated"), Buffer.concat([header, Buffer.from([0xff, 0x0f, 0x6f])])])
    await redis.raw.sendCommand(["SET", at("nan"), Buffer.from([0x49, 0x43, 2, 1, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 0xff])])
    await redis.raw.sendCommand(["SET", at("future"), Buffer.from([0x49, 0x43, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2])])
    // A number entry of the wrong length.
    await redis.raw.sendCommand([
      "SET",
      at("short"),
      Buffer.concat([Buffer.from([0x49, 0x43, 2, 4]), Buffer.alloc(12)]),
    ])
    await redis.raw.sendCommand(["RPUSH", at("list"), "a"])
    const keys = ["text", "empty", "truncated", "nan", "future", "short", "list"]
    expect(await cache.getMany(keys)).toEqual({})
    expect(await cache.get("text", "default")).toBe("default")
    await expect(cache.incr("truncated")).rejects.toBeInstanceOf(KeyNotFoundError)
    await expect(cache.incr("short")).rejects.toBeInstanceOf(KeyNotFoundError)
    await expect(cache.incr("list")).rejects.toBeInstanceOf(KeyNotFoundError)
    expect(await cache.delete("list")).toBe(false)
    expect(await cache.add("text", "fresh")).toBe(true)
    expect(await cache.getOrSet("list", () => "computed")).toBe("computed")
    await cache.set("future", "fixed")
    expect(await cache.touch("nan", 60)).toBe(false)
    expect(await cache.getMany(keys)).toEqual({ text: "fresh", list: "computed", future: "fixed" })
  })

  it("rejects a Blob (V8 cannot serialise it) with NotStorableError and writes nothing", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    await expect(cache.set("b", new Blob(["x"]))).rejects.toBeInstanceOf(NotStorableError)
    await expect(cache.setMany({ ok: 1, b: new Blob(["x"]) })).rejects.toBeInstanceOf(NotStorableError)
    expect(await keysOf(name)).toEqual([])
  })

  it("getMany of 100 keys is one MGET; setMany one script call", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    await cache.connect()
    await redis.raw.sendCommand(["CONFIG", "RESETSTAT"])
    await cache.setMany(Array.from({ length: 100 }, (_, i) => [`k${i}`, i] as const))
    expect(Object.keys(await cache.getMany(Array.from({ length: 100 }, (_, i) => `k${i}`)))).toHaveLength(100)
    const stats = String(await redis.raw.sendCommand(["INFO", "commandstats"]))
    const calls = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
    expect(calls("mget")).toBe(1)
    expect(calls("get")).toBe(0)
    expect(calls("evalsha") + calls("eval")).toBe(1)
    // The script's own SETs count too: one per entry, inside that one call.
    expect(calls("set")).toBe(100)
  })

  it("add, incr, decr, touch, delete, deleteMany and getOrSet's write are one script call each", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    await cache.set("n", 1, { timeout: 60 })
    await cache.get("warm-up") // connected
    await redis.raw.sendCommand(["CONFIG", "RESETSTAT"])
    expect(await cache.add("a", "x")).toBe(true)
    expect(await cache.add("a", "y")).toBe(false)
    expect(await cache.incr("n", 2)).toBe(3)
    expect(await cache.decr("n")).toBe(2)
    expect(await cache.touch("n", 120)).toBe(true)
    expect(await cache.delete("a")).toBe(true)
    expect(await cache.deleteMany(["n", "none"])).toBe(1)
    await cache.getOrSet("g", () => "made") // a read, the lock, the read again under it, then the add
    const stats = String(await redis.raw.sendCommand(["INFO", "commandstats"]))
    const calls = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
    // The 8 calls' scripts, and the script that gives getOrSet's lock back.
    expect(calls("evalsha") + calls("eval")).toBe(8 + 1)
    // Redis counts the scripts' own reads too: getOrSet's two reads, and one per key in each script.
    expect(calls("mget")).toBe(2 + 9)
  })

  it("incr adds with JavaScript's double arithmetic, to any number, and keeps the entry's stale windows", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const cases: Array<[number, number]> = [
      [0.1, 0.2],
      [2 ** 53, 1],
      [-0, -0],
      [-0, 0],
      [1e308, 1e308],
      [Number.MIN_VALUE, 0],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, -1],
      [123_456.789, -0.001],
    ]
    for (const [start, delta] of cases) {
      await cache.set("x", start)
      expect(Object.is(await cache.incr("x", delta), start + delta), `${start} + ${delta}`).toBe(true)
      expect(Object.is(await cache.get("x"), start + delta)).toBe(true)
    }
    const clock = fakeClock()
    const stale = cacheOn(name, { clock: clock.now })
    await stale.set("s", 1, { timeout: 10, staleWhileRevalidate: 20 })
    expect(await stale.incr("s")).toBe(2)
    clock.advance(15_000)
    expect(await stale.getEntry("s")).toEqual({ value: 2, expiresAt: clock.now() - 5_000, stale: true })
  })

  it("keeps a prefix apart from another store's", async () => {
    const name = uniqueName()
    const a = new Cache({
      name,
      store: createRedisStore({ url: redis.server.url, prefix: "app1:" }),
      sweepInterval: null,
    })
    const b = new Cache({
      name,
      store: createRedisStore({ url: redis.server.url, prefix: "app2:" }),
      sweepInterval: null,
    })
    opened.push(a, b)
    await a.set("k", "a")
    await b.set("k", "b")
    await b.clear()
    expect(await a.get("k")).toBe("a")
    expect(
      String(await redis.raw.sendCommand(["GET", redisLayout("app1:", name).entryKey(["", "k"])])).length,
    ).toBeGreaterThan(0)
  })
})
