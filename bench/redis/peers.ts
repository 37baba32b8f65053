// The Redis peers: the isocache Redis store, and a bare node-redis client sending the plain commands an
// app would send itself (GET, SET … PX, MGET, MULTI of SETs, INCR), with values as JSON. Plus, for the
// getMany workload only, the same 100 keys read one round trip at a time.
import { createClient } from "redis"
import { Cache } from "../../src/index.ts"
import { createRedisStore } from "../../src/stores/redis/index.ts"
import { cachePeer, oneByOne } from "../shared/cache-peer.ts"
import type { Item } from "../shared/data.ts"
import type { Peer } from "../shared/workloads.ts"

/** Every write of every peer expires after this long, so that isocache and the bare client both send `PX`. */
export const TIMEOUT_SECONDS = 3_600

// A plain client from the URL, as the store makes its own (which also turns off the offline queue and reconnection).
const makeClient = (url: string) => createClient({ url })
type Client = ReturnType<typeof makeClient>

function isocache(url: string): Peer {
  return cachePeer(
    "isocache",
    (id) => {
      const name = `bench-${id}`
      return new Cache({ name, timeout: TIMEOUT_SECONDS, store: createRedisStore({ url }) })
    },
    {
      clearOnClose: true,
      notes: {
        get: "MGET of 1 key",
        set: "EVALSHA: SET … PX + 2 ZADD + PUBLISH",
        getMany: "MGET",
        setMany: "EVALSHA: one script (SETs, 2 ZADDs each, PUBLISH)",
        incr: "EVALSHA: one script (read, SET … KEEPTTL, PUBLISH)",
      },
    },
  )
}

/** Deletes every key that starts with `prefix`. */
async function unlinkAll(client: Client, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1_000 }))
    if (keys.length) await client.unlink(keys)
}

async function connect(url: string): Promise<Client> {
  const client = makeClient(url)
  client.on("error", () => {})
  await client.connect()
  return client
}

const parse = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text))

function nodeRedis(url: string): Peer {
  let client: Client | null = null
  let prefix = ""
  const r = (): Client => client as Client
  const px = { expiration: { type: "PX", value: TIMEOUT_SECONDS * 1_000 } } as const
  return {
    name: "node-redis",
    async open(id) {
      prefix = `bench-bare:${id}:`
      client = await connect(url)
    },
    async close() {
      if (!client) return
      await unlinkAll(client, prefix)
      await client.close()
    },
    get: async (key) => parse(await r().get(prefix + key)),
    set: (key, value) => r().set(prefix + key, JSON.stringify(value), px),
    getMany: async (keys) =>
      (await r().mGet(keys.map((key) => prefix + key))).filter((text) => parse(text) !== undefined).length,
    setMany: async (entries: Array<[string, Item]>) => {
      const multi = r().multi()
      for (const [key, value] of entries) multi.set(prefix + key, JSON.stringify(value), px)
      await multi.exec()
    },
    incr: (key) => r().incr(prefix + key),
    notes: {
      get: "GET, JSON.parse",
      set: "SET … PX, JSON.stringify",
      getMany: "MGET",
      setMany: "MULTI of SET … PX",
      incr: "INCR",
    },
  }
}

// The getMany workload's 100 keys read by 100 sequential reads: what getMany saves.
const isocacheSequential = (url: string): Peer =>
  oneByOne(isocache(url), "isocache, 100 × get", "sequential get: 100 round trips")
const nodeRedisSequential = (url: string): Peer =>
  oneByOne(nodeRedis(url), "node-redis, 100 × GET", "sequential GET: 100 round trips")

/** Every peer, isocache first (the reference of the ratios). */
export const redisPeers: Record<string, (url: string) => Peer> = {
  isocache,
  "node-redis": nodeRedis,
  "isocache, 100 × get": isocacheSequential,
  "node-redis, 100 × GET": nodeRedisSequential,
}
