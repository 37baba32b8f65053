import { createClient, createClientPool, createCluster, createSentinel } from "redis"
import { describe, expect, it } from "vitest"
import {
  Cache,
  CacheError,
  InvalidArgumentError,
  StoreClosedError,
  StoreError,
  StoreUnavailableError,
} from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { uniqueName } from "../conformance/harness.js"
import { errorNames, tornPairs, underLoad, untyped } from "./load.js"
import { report } from "./processes.js"
import { entryPattern, keysMatching, rawClient, skipRedis, useRedis } from "./server.js"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(skipRedis)("redis store: connection loss and client ownership", () => {
  const redis = useRedis()

  const connections = async (): Promise<number> =>
    String(await redis.raw.sendCommand(["CLIENT", "LIST"]))
      .split("\n")
      .filter(Boolean).length

  it("a call in flight when Redis dies fails with StoreClosedError; the first call after it returns succeeds", async () => {
    const cache = new Cache({
      name: uniqueName(),
      store: createRedisStore({ url: redis.server.url }),
      sweepInterval: null,
    })
    await cache.set("n", 1)
    // Keep Redis busy so that the cache's calls are sent and waiting when it is killed.
    const blocker = await rawClient(redis.server.url)
    const busy = blocker.sendCommand(["DEBUG", "SLEEP", "5"]).catch(() => "killed")
    await sleep(100)
    const inflight = Promise.allSettled([cache.get("n"), cache.incr("n"), cache.set("m", 1)])
    await sleep(100)
    await redis.server.kill()
    const outcomes = await inflight
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected")
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreClosedError)
    }
    expect(await busy).toBe("killed")
    blocker.destroy()
    // While Redis is away, calls fail at once with a typed error instead of hanging.
    const started = Date.now()
    const away = await cache.get("n").catch((e: unknown) => e)
    expect(away).toBeInstanceOf(StoreUnavailableError)
    expect(away).toBeInstanceOf(CacheError)
    expect(Date.now() - started).toBeLessThan(2000)
    await redis.restart()
    // A fresh server (no persistence): the entry is gone, and the cache works again at once.
    expect(await cache.get("n")).toBeUndefined()
    await cache.set("n", 10)
    expect(await cache.incr("n")).toBe(11)
    await cache.disconnect()
  })

  it("disconnect closes the client the store created, and a later call opens a new one", async () => {
    const before = await connections()
    const cache = new Cache({
      name: uniqueName(),
      store: createRedisStore({ url: redis.server.url }),
      sweepInterval: null,
    })
    await cache.set("k", 1)
    expect(await connections()).toBe(before + 1)
    await cache.disconnect()
    await expect.poll(connections).toBe(before)
    expect(await cache.get("k")).toBe(1)
    expect(await connections()).toBe(before + 1)
    await cache.disconnect()
  })

  it("an app's own client is used as it is, connected if needed, and never closed", async () => {
    const client = createClient({ url: redis.server.url })
    client.on("error", () => {})
    const cache = new Cache({ name: uniqueName(), store: createRedisStore({ client }), sweepInterval: null })
    await cache.set("k", { n: 1 })
    expect(client.isOpen).toBe(true)
    expect(await cache.incr("missing").catch((e: unknown) => (e as Error).name)).toBe("KeyNotFoundError")
    await cache.disconnect()
    expect(client.isOpen).toBe(true)
    expect(await client.ping()).toBe("PONG")
    expect(await cache.get("k")).toEqual({ n: 1 })
    await cache.disconnect()
    client.destroy()
  })

  it("an error reply from Redis is a StoreError, and nothing is written", async () => {
    const cache = new Cache({
      name: uniqueName(),
      store: createRedisStore({ url: redis.server.url }),
      sweepInterval: null,
    })
    await cache.set("k", "before")
    await redis.raw.sendCommand(["CONFIG", "SET", "maxmemory", "1", "maxmemory-policy", "noeviction"])
    try {
      const error = await cache.setMany({ k: "after", other: 1 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreError)
      expect((error as Error).message).toMatch(/OOM|memory/i)
      await expect(cache.incr("k")).rejects.toBeInstanceOf(CacheError)
    } finally {
      await redis.raw.sendCommand(["CONFIG", "SET", "maxmemory", "0"])
    }
    expect(await cache.getMany(["k", "other"])).toEqual({ k: "before" })
    await cache.disconnect()
  })

  it("an unreachable server is a StoreUnavailableError at connect", async () => {
    const cache = new Cache({ store: createRedisStore({ url: "redis://127.0.0.1:1/0" }) })
    await expect(cache.connect()).rejects.toBeInstanceOf(StoreUnavailableError)
  })
})

describe.skipIf(skipRedis)("redis store: a durable server killed and restarted under load", () => {
  // An append-only file fsynced before each reply: what Redis acknowledged is there after the restart.
  const redis = useRedis(true)

  it("every call succeeds or fails with a typed error, nothing is torn, and the cache works again", async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: createRedisStore({ url: redis.server.url }), sweepInterval: null })
    await cache.set("counter", 0)
    const run = await underLoad(cache, () => redis.restart())
    report("redis-restart", { ...run, errors: errorNames(run.errors), messages: [...new Set(run.errors.map(String))] })
    expect(untyped(run.errors)).toEqual([])
    // The restart struck calls under way, and calls succeeded before and after it.
    expect(run.errors.length).toBeGreaterThan(0)
    // A lost connection, no connection yet, or an error reply (Redis loading its file).
    const expected = new Set(["StoreClosedError", "StoreUnavailableError", "StoreError"])
    expect(run.errors.filter((e) => !expected.has((e as Error).name)).map(String)).toEqual([])
    expect(run.succeeded.before).toBeGreaterThan(0)
    expect(run.succeeded.after).toBeGreaterThan(0)
    expect(run.hung).toBe(0)
    expect(run.torn).toEqual([])
    expect(await tornPairs(cache)).toEqual([])
    // Every acknowledged incr survived; a failed one may have been applied or not.
    const counter = (await cache.get("counter")) as number
    expect(counter).toBeGreaterThanOrEqual(run.incr.acked)
    expect(counter).toBeLessThanOrEqual(run.incr.acked + run.incr.failed)
    // The name's set of entries names exactly the entries there are.
    const layout = redisLayout("isocache:", name)
    const members = (await redis.raw.sendCommand(["ZRANGE", layout.entries, "0", "-1"])) as Buffer[]
    expect(members.map((m) => `${layout.base}${String(m)}`).sort()).toEqual(
      (await keysMatching(redis.raw, entryPattern(name))).sort(),
    )
    await cache.disconnect()
  }, 60_000)
})

describe("createRedisStore options", () => {
  it.each([
    ["both a client and a url", { client: { sendCommand() {} }, url: "redis://x" }],
    ["a client without sendCommand", { client: {} }],
    ["an http url", { url: "http://example.com" }],
    ["a name (the cache's name picks the entries)", { name: "x" }],
    ["an unknown option", { prefx: "app:" }],
    ["a non-string prefix", { prefix: 5 }],
    ["a prefix with a brace (the name is the hash tag after it)", { prefix: "{app}:" }],
  ])("rejects %s with InvalidArgumentError", (_, options) => {
    expect(() => createRedisStore(options as never)).toThrow(InvalidArgumentError)
  })

  it("rejects a client pool and a Sentinel client, saying what to pass instead; takes a cluster client", () => {
    const pool = createClientPool({ url: "redis://127.0.0.1:1" })
    expect(() => createRedisStore({ client: pool as never })).toThrow(/client pool is not supported; pass one client/)
    const sentinel = createSentinel({ name: "primary", sentinelRootNodes: [{ host: "127.0.0.1", port: 1 }] })
    expect(() => createRedisStore({ client: sentinel as never })).toThrow(
      /Sentinel client is not supported; pass a client of the primary/,
    )
    const cluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:1" }] })
    expect(createRedisStore({ client: cluster }).kind).toBe("redis")
  })

  it("creates nothing and connects nowhere until opened", () => {
    const store = createRedisStore({ url: "redis://127.0.0.1:1/0" })
    expect(store.kind).toBe("redis")
  })
})
