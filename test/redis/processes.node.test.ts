// The multi-process proof on a single redis-server (test/redis/processes.ts).
import { describe } from "vitest"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { processCases } from "./processes.js"
import { skipRedis, useRedis } from "./server.js"

describe.skipIf(skipRedis)("redis store across processes (the built package)", () => {
  const redis = useRedis()
  processCases(() => ({
    url: redis.server.url,
    store: () => createRedisStore({ url: redis.server.url }),
    listening: async (name) =>
      Number(
        ((await redis.raw.sendCommand(["PUBSUB", "NUMSUB", redisLayout("isocache:", name).channel])) as unknown[])[1],
      ),
  }))
})
