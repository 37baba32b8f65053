// The Redis store on a local 3-master Redis Cluster (test/redis/cluster.ts), through a node-redis
// cluster client: the whole conformance suite, the multi-process tests, and the slot layout.
import { describe, expect, it, vi } from "vitest"
import { Cache, type ChangeEvent } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { uniqueName } from "../conformance/harness.js"
import { describeConformance } from "../conformance/index.js"
import { clusterEntryKeys, skipCluster, useCluster } from "./cluster.js"
import { processCases } from "./processes.js"
import { globEscape, keysMatching } from "./server.js"

describe.skipIf(skipCluster)("redis store on a 3-master Redis Cluster", () => {
  const redis = useCluster()
  // Every cache gets a store on the one cluster client of the file (the store never closes it).
  const store = () => createRedisStore({ client: redis.client })

  describeConformance("redis cluster", {
    kind: "redis",
    createStore: store,
    makeStore: store,
    rawCount: async (name) => (await clusterEntryKeys(redis.cluster, name)).length,
  })

  describe("across processes (the built package)", () => {
    processCases(() => ({
      url: `cluster://${redis.cluster.ports.map((port) => `127.0.0.1:${port}`).join(",")}`,
      store,
      listening: async (name) => {
        const channel = redisLayout("isocache:", name).channel
        const node = await redis.cluster.node(await redis.cluster.masterOf(channel))
        try {
          return Number(((await node.sendCommand(["PUBSUB", "SHARDNUMSUB", channel])) as unknown[])[1])
        } finally {
          node.destroy()
        }
      },
    }))
  })

  describe("slots", () => {
    it("all keys of a name share one slot, and names spread over every master", async () => {
      // Fixed names (this file's cluster is its own), so that where they land is fixed too.
      const names = Array.from({ length: 12 }, (_, i) => `spread ${i}${i % 3 === 0 ? " {a}}{" : ""}`)
      const locks: string[] = []
      for (const name of names) {
        const cache = new Cache({ name, store: store(), sweepInterval: null })
        await cache.setMany({ a: 1, b: "two" }, { timeout: 600 })
        await cache.set("forever", [1], { version: 2 })
        await cache.incr("a")
        await cache.getOrSet("computed", async () => {
          // The lock key exists while the factory runs.
          const lock = redisLayout("isocache:", name).lockKey(["", "computed"])
          expect(await redis.client.sendCommand(lock, false, ["EXISTS", lock])).toBe(1)
          locks.push(lock)
          return 1
        })
        expect(await cache.keys()).toEqual(["a", "b", "computed"])
        await cache.disconnect()
      }
      const mastersOfNames = new Set<number>()
      for (const [i, name] of names.entries()) {
        const layout = redisLayout("isocache:", name)
        const master = await redis.cluster.masterOf(layout.entries)
        mastersOfNames.add(master)
        const node = await redis.cluster.node(master)
        try {
          // Every key the store made for the name, found on the master of its slot.
          const keys = [...(await keysMatching(node, `${globEscape(layout.base)}*`)), locks[i]]
          expect(keys.sort()).toEqual(
            [
              layout.entryKey(["", "a"]),
              layout.entryKey(["", "b"]),
              layout.entryKey(["", "computed"]),
              layout.entryKey(["2", "forever"]),
              layout.entries,
              layout.index,
              layout.lockKey(["", "computed"]),
            ].sort(),
          )
          const slots = new Set<number>()
          for (const key of [...keys, layout.channel]) {
            slots.add(Number(await node.sendCommand(["CLUSTER", "KEYSLOT", key as string])))
          }
          expect(slots.size, name).toBe(1)
        } finally {
          node.destroy()
        }
      }
      expect(mastersOfNames.size).toBe(3)
    })

    it("a master that lost its scripts (SCRIPT FLUSH) gets the source once: EVALSHA, NOSCRIPT, EVAL", async () => {
      const name = uniqueName()
      const cache = new Cache({ name, store: store(), sweepInterval: null })
      await cache.set("k", 1)
      const node = await redis.cluster.node(await redis.cluster.masterOf(redisLayout("isocache:", name).entries))
      try {
        await node.sendCommand(["SCRIPT", "FLUSH"])
        await node.sendCommand(["CONFIG", "RESETSTAT"])
        await cache.set("k", 2)
        await cache.set("k", 3)
        const stats = String(await node.sendCommand(["INFO", "commandstats"]))
        const calls = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
        expect(calls("eval")).toBe(1)
        expect(calls("evalsha")).toBe(2) // the first one answered NOSCRIPT
        expect(await cache.get("k")).toBe(3)
      } finally {
        node.destroy()
        await cache.disconnect()
      }
    })

    it("changes travel by sharded pub/sub on the name's master, on a connection that lasts while subscribed", async () => {
      const name = uniqueName()
      const channel = redisLayout("isocache:", name).channel
      const node = await redis.cluster.node(await redis.cluster.masterOf(channel))
      const listening = async () =>
        Number(((await node.sendCommand(["PUBSUB", "SHARDNUMSUB", channel])) as unknown[])[1])
      const watcher = new Cache({ name, store: store(), sweepInterval: null })
      const writer = new Cache({ name, store: store(), sweepInterval: null })
      try {
        const events: ChangeEvent[] = []
        const unsubscribe = watcher.subscribe((event) => events.push(event))
        await vi.waitFor(async () => expect(await listening()).toBe(1))
        await writer.set("k", 1)
        await writer.delete("k")
        await writer.clear()
        await vi.waitFor(() => expect(events.map((event) => event.type)).toEqual(["set", "delete", "clear"]))
        unsubscribe()
        await vi.waitFor(async () => expect(await listening()).toBe(0))
      } finally {
        node.destroy()
        await watcher.disconnect()
        await writer.disconnect()
      }
    })
  })
})
