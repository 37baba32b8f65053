// Changes and locks on Redis, within one process: the subscriber connection's lifetime, what a channel
// message must be, publishes that fail or never answer, and the getOrSet lock (across store objects,
// a dead holder's). Across processes: processes.node.test.ts.
import { createClient, type RedisClientType } from "redis"
import { afterEach, describe, expect, it, vi } from "vitest"
import { Cache, type ChangeEvent } from "../../src/index.js"
import { createRedisStore, type RedisClientLike } from "../../src/stores/redis/index.js"
import { redisLayout } from "../../src/stores/redis/keys.js"
import { LOCK_TTL } from "../../src/stores/redis/lock.js"
import type { StoreChange } from "../../src/types.js"
import { uniqueName } from "../conformance/harness.js"
import { entryPattern, keysMatching, skipRedis, useRedis } from "./server.js"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The app's `client` as a client with no `duplicate`, whose PUBLISH commands `publish` answers if given. */
function withoutDuplicate(client: RedisClientType, publish?: () => Promise<unknown>): RedisClientLike {
  return {
    get isOpen() {
      return client.isOpen
    },
    connect: () => client.connect(),
    sendCommand(args, options) {
      if (publish && args[0] === "PUBLISH") return publish()
      return client.sendCommand(args as ReadonlyArray<string | Buffer>, options)
    },
  }
}
const channelOf = (name: string): string => redisLayout("isocache:", name).channel

describe.skipIf(skipRedis)("redis store: changes and locks", () => {
  const redis = useRedis()
  const opened: Cache[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.disconnect()))
  })
  const cacheOn = (name: string, client?: RedisClientLike): Cache => {
    const store = createRedisStore(client ? { client } : { url: redis.server.url })
    const cache = new Cache({ name, store, sweepInterval: null })
    opened.push(cache)
    return cache
  }
  const listening = async (name: string): Promise<number> =>
    Number(((await redis.raw.sendCommand(["PUBSUB", "NUMSUB", channelOf(name)])) as unknown[])[1])
  // The server's connections of a type: "pubsub" (subscribers) or "normal".
  const connections = async (type: "pubsub" | "normal"): Promise<number> =>
    String(await redis.raw.sendCommand(["CLIENT", "LIST", "TYPE", type]))
      .split("\n")
      .filter(Boolean).length
  const subscribed = (name: string, n: number) => vi.waitFor(async () => expect(await listening(name)).toBe(n))
  // A change of `writer` that reaches `events` through Redis (once the subscription is confirmed).
  const reached = async (writer: Cache, events: readonly ChangeEvent[]): Promise<void> => {
    const before = events.length
    await vi.waitFor(async () => {
      await writer.set("probe", Math.random())
      expect(events.length).toBeGreaterThan(before)
    })
  }

  it("a cache holds a subscriber connection only while subscribed: none for writes, one per subscribed cache", async () => {
    const name = uniqueName()
    const pubsub = await connections("pubsub")
    const normal = await connections("normal")
    const a = cacheOn(name)
    const b = cacheOn(name)
    await a.set("k", 1) // a write without subscribers publishes on the command connection
    await b.get("k")
    expect(await connections("normal")).toBe(normal + 2)
    expect(await connections("pubsub")).toBe(pubsub)
    expect(await listening(name)).toBe(0)
    const stopA1 = a.subscribe(() => {})
    const stopA2 = a.subscribe(() => {})
    await subscribed(name, 1) // one connection for both subscriptions of a
    b.subscribe(() => {})
    await subscribed(name, 2)
    expect(await connections("pubsub")).toBe(pubsub + 2)
    stopA1()
    await sleep(50)
    expect(await listening(name)).toBe(2)
    stopA2() // a's last: its connection closes
    await subscribed(name, 1)
    await b.disconnect() // ends b's subscription
    await subscribed(name, 0)
    await vi.waitFor(async () => expect(await connections("pubsub")).toBe(pubsub))
    expect(await connections("normal")).toBe(normal + 1) // a is still connected
  })

  it("a namespace shares one subscriber connection between its listeners, and close() ends it", async () => {
    const name = uniqueName()
    const store = createRedisStore({ url: redis.server.url })
    const namespace = await store.open(name, { maxEntries: null })
    const heard: StoreChange[][] = [[], []]
    const stop0 = namespace.subscribe?.((change) => heard[0]?.push(change))
    const stop1 = namespace.subscribe?.((change) => heard[1]?.push(change))
    await subscribed(name, 1)
    stop0?.()
    stop0?.() // a second call does nothing
    await sleep(50)
    expect(await listening(name)).toBe(1)
    const writer = cacheOn(name)
    await writer.set("k", 1)
    await vi.waitFor(() => expect(heard[1]).toEqual([{ type: "set", keys: ["k"], version: null }]))
    expect(heard[0]).toEqual([])
    stop1?.()
    await subscribed(name, 0)
    namespace.subscribe?.(() => {})
    await subscribed(name, 1)
    await namespace.close()
    await subscribed(name, 0)
  })

  it("a namespace drops its own messages; anything on the channel that is not a change is ignored", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const events: ChangeEvent[] = []
    cache.subscribe((event) => events.push(event))
    await subscribed(name, 1)
    await cache.set("own", 1)
    const junk = [
      "not json",
      "null",
      "[]",
      JSON.stringify({ change: { type: "set", keys: ["k"], version: null } }), // no sender
      JSON.stringify({ from: 1, change: { type: "set", keys: ["k"], version: null } }),
      JSON.stringify({ from: "x", change: null }),
      JSON.stringify({ from: "x", change: { type: "put", keys: ["k"], version: null } }),
      JSON.stringify({ from: "x", change: { type: "set", keys: "k", version: null } }),
      JSON.stringify({ from: "x", change: { type: "set", keys: [1], version: null } }),
      JSON.stringify({ from: "x", change: { type: "set", keys: ["k"], version: 2 } }),
      JSON.stringify({ from: "x", change: { type: "set", keys: ["k"] } }),
    ]
    for (const message of junk) await redis.raw.sendCommand(["PUBLISH", channelOf(name), message])
    // Any other sender's well-formed change is one, whoever sent it.
    const foreign = { from: "elsewhere", change: { type: "delete", keys: ["a", "b"], version: "2", extra: 1 } }
    await redis.raw.sendCommand(["PUBLISH", channelOf(name), JSON.stringify(foreign)])
    await vi.waitFor(() => expect(events).toHaveLength(2))
    await sleep(50)
    expect(events).toEqual([
      { type: "set", keys: ["own"], version: null, local: true },
      { type: "delete", keys: ["a", "b"], version: "2", local: false },
    ])
    expect(Object.isFrozen(events[1]?.keys)).toBe(true)
  })

  it("a write publishes its change from its own script, and a PUBLISH that Redis refuses fails no write", async () => {
    const name = uniqueName()
    const client = await createClient({ url: redis.server.url }).connect()
    let published = 0
    const counting = withoutDuplicate(client, () => {
      published++
      return client.sendCommand(["PING"])
    })
    const cache = cacheOn(name, counting)
    await cache.set("k", 1)
    await cache.incr("k")
    expect(await cache.delete("k")).toBe(true)
    // Only clear sends a PUBLISH of its own: the writes published theirs inside their scripts.
    expect(published).toBe(0)
    await cache.clear()
    expect(published).toBe(1)
    // A user that may publish on no channel: the scripts' PUBLISH fails, the writes stand.
    await redis.raw.sendCommand(["ACL", "SETUSER", "no-channels", "on", "nopass", "~*", "resetchannels", "+@all"])
    const refused = await createClient({ url: redis.server.url, username: "no-channels", password: "any" }).connect()
    await expect(refused.publish(channelOf(name), "x")).rejects.toThrow(/NOPERM/)
    const limited = cacheOn(name, withoutDuplicate(refused))
    await limited.set("k", 1)
    expect(await limited.add("a", 1)).toBe(true)
    expect(await limited.incr("k")).toBe(2)
    expect(await limited.touch("k", 60)).toBe(true)
    expect(await limited.deleteMany(["k", "a"])).toBe(2)
    await limited.setMany({ b: 1 })
    expect(await limited.getMany(["k", "a", "b"])).toEqual({ b: 1 })
    client.destroy()
    refused.destroy()
    await redis.raw.sendCommand(["ACL", "DELUSER", "no-channels"])
  })

  it("an app's client: subscribers use its duplicate (closed by the store), the client stays open", async () => {
    const name = uniqueName()
    const client = await createClient({ url: redis.server.url }).connect()
    const watcher = cacheOn(name, client)
    const writer = cacheOn(name, client)
    const events: ChangeEvent[] = []
    const stop = watcher.subscribe((event) => events.push(event))
    await reached(writer, events)
    expect(events[0]).toMatchObject({ type: "set", keys: ["probe"], local: false })
    stop()
    await subscribed(name, 0)
    await watcher.disconnect()
    await writer.disconnect()
    expect(client.isOpen).toBe(true)
    expect(await client.ping()).toBe("PONG")
    client.destroy()
  })

  it("an app's client that cannot be duplicated: own events only, no subscriber connection", async () => {
    const name = uniqueName()
    const client = await createClient({ url: redis.server.url }).connect()
    const plain = withoutDuplicate(client)
    const cache = cacheOn(name, plain)
    const events: ChangeEvent[] = []
    cache.subscribe((event) => events.push(event))
    await cache.set("k", 1)
    expect(events).toEqual([{ type: "set", keys: ["k"], version: null, local: true }])
    await sleep(50)
    expect(await listening(name)).toBe(0)
    await cache.disconnect()
    client.destroy()
  })

  it("concurrent getOrSet misses of two store objects run the factory once; the lock is gone after", async () => {
    const name = uniqueName()
    const caches = [cacheOn(name), cacheOn(name), cacheOn(name)]
    let calls = 0
    const factory = async (): Promise<string> => {
      calls++
      await sleep(100)
      return "made"
    }
    expect(await Promise.all(caches.map((cache) => cache.getOrSet("k", factory)))).toEqual(["made", "made", "made"])
    expect(calls).toBe(1)
    const lock = redisLayout("isocache:", name).lockKey(["", "k"])
    await vi.waitFor(async () => expect(await redis.raw.exists(lock)).toBe(0))
  })

  it("a dead holder's lock: a getOrSet waits until it expires, then runs the factory", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const lock = redisLayout("isocache:", name).lockKey(["", "k"])
    await redis.raw.sendCommand(["SET", lock, "a holder that died", "PX", "400"])
    const started = Date.now()
    let calls = 0
    expect(await cache.getOrSet("k", () => ++calls)).toBe(1)
    const waited = Date.now() - started
    expect(calls).toBe(1)
    expect(waited).toBeGreaterThanOrEqual(350)
    expect(waited).toBeLessThan(LOCK_TTL)
    // The getOrSet took the lock after it expired and gave it back, leaving another holder's alone.
    await vi.waitFor(async () => expect(await redis.raw.exists(lock)).toBe(0))
  })

  it("locks live apart from the entries: clear, list and the sweep leave them, and they are not entries", async () => {
    const name = uniqueName()
    const cache = cacheOn(name)
    const layout = redisLayout("isocache:", name)
    const lock = layout.lockKey(["", "k"])
    await redis.raw.sendCommand(["SET", lock, "held", "PX", "60000"])
    await cache.set("a", 1)
    expect(await cache.keys()).toEqual(["a"])
    await cache.clear()
    expect(await cache.keys()).toEqual([])
    await cache.sweep()
    expect(await redis.raw.exists(lock)).toBe(1)
    expect(await keysMatching(redis.raw, entryPattern(name))).toEqual([])
    await redis.raw.del(lock)
  })
})

describe.skipIf(skipRedis)("redis store: a subscription and a restart of Redis", () => {
  const redis = useRedis()

  it("a subscriber connection reconnects by itself, and hears changes again", async () => {
    const name = uniqueName()
    const watcher = new Cache({ name, store: createRedisStore({ url: redis.server.url }), sweepInterval: null })
    const writer = new Cache({ name, store: createRedisStore({ url: redis.server.url }), sweepInterval: null })
    const events: ChangeEvent[] = []
    watcher.subscribe((event) => events.push(event))
    const heard = async (): Promise<void> => {
      const before = events.length
      await vi.waitFor(
        async () => {
          await writer.set("probe", Math.random()).catch(() => {}) // the first call after the restart may fail
          expect(events.length).toBeGreaterThan(before)
        },
        { timeout: 10_000, interval: 50 },
      )
    }
    await heard()
    await redis.restart()
    await heard()
    await watcher.disconnect()
    await writer.disconnect()
  }, 30_000)
})
