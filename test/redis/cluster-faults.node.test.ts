// The Redis store on a Redis Cluster of 3 masters with a replica each (test/redis/cluster.ts): the
// master of a name's slot killed under load, and its replica promoted.
import { describe, expect, it, vi } from "vitest"
import { Cache } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { uniqueName } from "../conformance/harness.js"
import { skipCluster, useCluster } from "./cluster.js"
import { errorNames, tornPairs, underLoad, untyped } from "./load.js"
import { report } from "./processes.js"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(skipCluster)("redis store on a Redis Cluster with replicas: a master fails over", () => {
  const redis = useCluster(true)

  it("under load, every call succeeds or fails with a typed error, nothing is torn, and the cache works on the promoted replica", async () => {
    const name = uniqueName()
    const slotKey = redisLayout("isocache:", name).entries
    const cache = new Cache({ name, store: createRedisStore({ client: redis.client }), sweepInterval: null })
    const watcher = new Cache({ name, store: createRedisStore({ client: redis.client }), sweepInterval: null })
    const heard: string[] = []
    watcher.subscribe((event) => heard.push(...event.keys))
    await cache.set("counter", 0)
    await vi.waitFor(() => expect(heard).toContain("counter"))
    const master = await redis.cluster.masterOf(slotKey)
    let promoted = 0
    const run = await underLoad(cache, async () => {
      await redis.cluster.kill(master)
      // The replica takes over once the others have seen the master silent for the node timeout (2 s).
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
        const now = await redis.cluster.masterOf(slotKey).catch(() => master)
        if (now !== master) {
          promoted = now
          return
        }
      }
      throw new Error("no replica was promoted within 30 s")
    })
    report("redis-cluster-failover", {
      ...run,
      errors: errorNames(run.errors),
      messages: [...new Set(run.errors.map(String))],
    })
    expect(promoted).not.toBe(0)
    expect(untyped(run.errors)).toEqual([])
    expect(run.hung).toBe(0)
    expect(run.torn).toEqual([])
    expect(run.succeeded.before).toBeGreaterThan(0)
    expect(run.succeeded.after).toBeGreaterThan(0)
    expect(await tornPairs(cache)).toEqual([])
    // Replication is asynchronous: acknowledged writes may be lost in a failover, but never more
    // increments appear than were made.
    const counter = (await cache.get("counter")) as number
    expect(counter).toBeLessThanOrEqual(run.incr.acked + run.incr.failed)
    await cache.set("after", 1)
    expect(await cache.incr("after")).toBe(2)
    // The subscription follows the slot to the promoted replica.
    await vi.waitFor(
      async () => {
        await cache.set("probe", Math.random())
        expect(heard).toContain("probe")
      },
      { timeout: 15_000, interval: 200 },
    )
    await watcher.disconnect()
    await cache.disconnect()
  }, 90_000)
})
