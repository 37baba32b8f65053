// The keyv adapter against keyv's own published test suite (@keyv/test-suite's keyvTestSuite: api,
// values, namespaces), with keyv 5 (keyv 6 needs Node 22.19), on the memory store and on a real
// redis-server. (Its iterator tests need an adapter keyv 5 lists as iterable by dialect name.)
import keyvTestSuite from "@keyv/test-suite"
import Keyv from "keyv"
import * as vitest from "vitest"
import { KeyvCache } from "../../src/adapters/keyv.js"
import { Cache } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { skipRedis, useRedis } from "../redis/server.js"

// keyv's suite moves time with timekeeper, which replaces the global Date: the cache reads it.
const clock = (): number => Date.now()

vitest.describe("keyv adapter on the memory store", () => {
  const name = `keyv-${crypto.randomUUID()}`
  const store = () => new KeyvCache(new Cache({ name, store: "memory", clock }))
  keyvTestSuite(vitest, Keyv, store)
})

vitest.describe.skipIf(skipRedis)("keyv adapter on the Redis store", () => {
  const redis = useRedis()
  const name = `keyv-${crypto.randomUUID()}`
  const opened: Cache[] = []
  let redisStore: ReturnType<typeof createRedisStore> | undefined
  vitest.afterAll(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.disconnect()))
  })
  const store = () => {
    redisStore ??= createRedisStore({ url: redis.server.url })
    const cache = new Cache({ name, store: redisStore, clock })
    opened.push(cache)
    return new KeyvCache(cache)
  }
  keyvTestSuite(vitest, Keyv, store)
})

vitest.describe("keyv adapter: what keyv's suite does not check", () => {
  vitest.it("a namespaced clear() removes only that namespace's keys; ttl is the entry's timeout", async () => {
    const cache = new Cache({ name: `keyv-${crypto.randomUUID()}`, store: "memory" })
    await cache.set("unrelated", 1)
    const app = new Keyv({ store: new KeyvCache(cache), namespace: "app" })
    const other = new Keyv({ store: new KeyvCache(cache), namespace: "other" })
    await app.set("a", "x", 60_000)
    await other.set("b", "y")
    const expiresAt = (await cache.getEntry("app:a"))?.expiresAt ?? 0
    vitest.expect(expiresAt - Date.now()).toBeGreaterThan(59_000)
    await app.clear()
    vitest.expect(await cache.keys()).toEqual(["other:b", "unrelated"])
    vitest.expect(await other.get("b")).toBe("y")
    const adapter = new KeyvCache(cache)
    const seen: Array<[string, unknown]> = []
    for await (const pair of adapter.iterator("other")) seen.push(pair)
    vitest.expect(seen.map(([key]) => key)).toEqual(["other:b"])
    await cache.disconnect()
  })
})
