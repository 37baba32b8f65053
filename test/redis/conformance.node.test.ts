import { afterAll, beforeAll, describe } from "vitest"
import { createRedisStore } from "../../src/stores/redis.js"
import { describeConformance } from "../conformance/index.js"
import { keysMatching, type RawClient, type RedisServer, rawClient, skipRedis, startRedis } from "./server.js"

describe.skipIf(skipRedis)("redis store on a real redis-server", () => {
  let server: RedisServer
  let raw: RawClient
  beforeAll(async () => {
    server = await startRedis()
    raw = await rawClient(server.url)
  })
  afterAll(async () => {
    raw?.destroy()
    await server?.stop()
  })

  // Every cache gets a store with its own client on this file's server; the fake clock of the suite
  // (2023) is far in the real past, so no entry gets a server-side expiry and the sweep does the work.
  const store = (name: string) => createRedisStore({ url: server.url, name })
  describeConformance("redis", {
    kind: "redis",
    createStore: store,
    makeStore: store,
    cacheUrl: (name, query) => `${server.url}?name=${encodeURIComponent(name)}&${query}`,
    rawCount: async (name) =>
      (await keysMatching(raw, `isocache:${globEscape(JSON.stringify([name])).slice(0, -1)},*`)).length,
  })
})

const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, "\\$&")
