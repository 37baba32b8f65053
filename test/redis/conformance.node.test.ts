import { describe } from "vitest"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { describeConformance } from "../conformance/index.js"
import { entryPattern, keysMatching, skipRedis, useRedis } from "./server.js"

describe.skipIf(skipRedis)("redis store on a real redis-server", () => {
  const redis = useRedis()

  // Every cache gets a store with its own client on this file's server; the fake clock of the suite
  // (2023) is far in the real past, so no entry gets a server-side expiry and the sweep does the work.
  const store = () => createRedisStore({ url: redis.server.url })
  describeConformance("redis", {
    kind: "redis",
    createStore: store,
    makeStore: store,
    cacheUrl: (name, query) => `${redis.server.url}?name=${encodeURIComponent(name)}&${query}`,
    rawCount: async (name) => (await keysMatching(redis.raw, entryPattern(name))).length,
  })
})
