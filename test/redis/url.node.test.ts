import { describe, expect, it } from "vitest"
import { Cache, InvalidArgumentError, StoreUnavailableError } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { uniqueName } from "../conformance/harness.js"
import { skipRedis, useRedis } from "./server.js"

describe("redis:// cache URLs", () => {
  it("take the server from the URL and the name, timeout, version and sweepInterval from the query", () => {
    const plain = new Cache("redis://127.0.0.1:6379/0?timeout=60")
    expect(plain.name).toBe("isocache")
    expect(plain.timeout).toBe(60)
    expect(plain.storeKind).toBeNull()
    const full = new Cache("rediss://user:p%40ss@cache.internal:6380/2?name=my%20app&version=3&sweepInterval=5")
    expect(full.name).toBe("my app")
    expect(full.version).toBe("3")
    expect(new Cache("REDIS://localhost?name=x").name).toBe("x")
  })

  it.each([
    ["no host", "redis://?name=x"],
    ["no host but a db", "redis:///0"],
    ["a db that is not a number", "redis://localhost/cache"],
    ["maxEntries (memory only)", "redis://localhost?maxEntries=5"],
    ["an unknown parameter", "redis://localhost?ttl=5"],
    ["timeout=0", "redis://localhost?timeout=0"],
    ["an empty name", "redis://localhost?name="],
  ])("with %s is an InvalidArgumentError at construction", (_, url) => {
    expect(() => new Cache(url)).toThrow(InvalidArgumentError)
  })

  it("never echoes a password in an error", () => {
    expect(() => new Cache("redis://user:s3cret@/0")).toThrow(/^(?!.*s3cret)/)
  })

  it("an explicit store option wins over the URL's server", async () => {
    const cache = new Cache("redis://127.0.0.1:1/0?name=x", { store: "memory" })
    await cache.connect()
    expect(cache.storeKind).toBe("memory")
    await cache.disconnect()
  })

  it("an unreachable server is a StoreUnavailableError of this very package", async () => {
    await expect(new Cache("redis://127.0.0.1:1/0").connect()).rejects.toBeInstanceOf(StoreUnavailableError)
  })
})

describe.skipIf(skipRedis)("redis:// cache URLs on a real server", () => {
  const redis = useRedis()

  it("open the Redis store on the named cache, shared with createRedisStore of the same name", async () => {
    const name = uniqueName()
    const byUrl = new Cache(`${redis.server.url}?name=${encodeURIComponent(name)}&timeout=60`)
    const byStore = new Cache({ name, store: createRedisStore({ url: redis.server.url }) })
    await byUrl.set("k", new Map([["a", 1]]))
    expect(byUrl.storeKind).toBe("redis")
    expect(await byStore.get("k")).toEqual(new Map([["a", 1]]))
    await Promise.all([byUrl.disconnect(), byStore.disconnect()])
  })
})
