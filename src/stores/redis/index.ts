/**
 * The Redis store, on its own entry point (`isocache/stores/redis`) so that only apps that use it load
 * `redis` (node-redis, an optional peer dependency). For Node servers that run on several processes or
 * machines and must share one cache.
 * @packageDocumentation
 */

import { createHash } from "node:crypto"
import { InvalidArgumentError, StoreError } from "../../errors.js"
import {
  removalTime,
  type Store,
  type StoreEntry,
  type StoreKey,
  type StoreNamespace,
  type StoreUpdate,
  type StoreWrite,
} from "../../types.js"
import { checkFactoryOptions } from "../../validate.js"
import { decodeEntry, decodeNumber, encodeEntry, encodeNumber } from "./codec.js"
import {
  type RedisArgs,
  type RedisClientLike,
  type RedisClusterLike,
  RedisConnection,
  type RedisTarget,
  runScript,
  send,
} from "./connection.js"
import { holdWrites, RedisChanges, writesHeld } from "./events.js"
import { type RedisLayout, redisLayout } from "./keys.js"
import { withLock } from "./lock.js"
import { ADD, CLEAR, DELETE, INCR, LIST, SWEEP, TOUCH, WRITE } from "./scripts.js"
import { KeyTurns } from "./turns.js"

export type {
  RedisClientLike,
  RedisClusterLike,
  RedisClusterSubscriberLike,
  RedisCommandOptions,
  RedisSubscriberLike,
} from "./connection.js"

/** Options of {@link createRedisStore}. Give `client` or `url`, not both. */
export interface RedisStoreOptions {
  /**
   * A node-redis client (v5 or later) the app already has: a single-server client such as
   * `await createClient().connect()`, or a cluster client such as `await createCluster({ rootNodes
   * }).connect()`. The store connects it if it is not open yet and never closes it; its reconnection
   * and offline-queue settings apply. A subscribed cache holds a duplicate of it (see
   * {@link RedisClientLike.duplicate} and {@link RedisClusterLike.duplicate}), which the store closes.
   * A client pool (`createClientPool`) and a Sentinel client (`createSentinel`) are refused: pass a
   * single client (`createClient`) instead.
   */
  readonly client?: RedisClientLike | RedisClusterLike | undefined
  /**
   * The server, when the store creates its own client: `redis[s]://[[user][:password]@]host[:port][/db]`
   * (one server; for a Redis Cluster, pass a `createCluster()` client as `client`).
   * That client is closed by `close()` (a cache's `disconnect()`), fails a call at once when Redis is
   * away, and reconnects on the next call.
   * @defaultValue `"redis://localhost:6379"`
   */
  readonly url?: string | undefined
  /**
   * What every Redis key of the store starts with, to keep isocache's keys apart from the app's own.
   * It may not hold `{` or `}`: the cache name after it is the hash tag of the name's keys.
   * @defaultValue `"isocache:"`
   */
  readonly prefix?: string | undefined
}

/** A store that keeps entries in Redis, shared by every process that uses the same server and name. */
export interface RedisStore extends Store {
  readonly kind: "redis"
}

// An update whose keys other clients keep changing gives up after this many compare-and-set attempts,
// backing off at random (up to 256 ms) from the third: 100 let one of four processes racing on one key
// on a busy machine starve.
const MAX_ATTEMPTS = 1000

// How many entries one step of `clear` deletes: a script call is short enough not to hold Redis up.
const CLEAR_BATCH = 1000

/**
 * How long Redis itself keeps an entry, in ms from now by this process's real clock, or `""` for no
 * server expiry. An entry whose `expiresAt` is already past by the real clock gets none (a cache with a
 * fake clock in the past would otherwise see its entries vanish at once): it is removed by the sweep.
 */
function serverTtl(expiresAt: number | null): string {
  if (expiresAt === null) return ""
  const ttl = Math.ceil(expiresAt - Date.now())
  return ttl > 0 && ttl <= Number.MAX_SAFE_INTEGER ? String(ttl) : ""
}

const sha1 = (bytes: Buffer): string => createHash("sha1").update(bytes).digest("hex")

function bytesList(reply: unknown, length: number, what: string): Array<Buffer | null> {
  if (Array.isArray(reply) && reply.length === length && reply.every((v) => v === null || Buffer.isBuffer(v))) {
    return reply as Array<Buffer | null>
  }
  throw new StoreError(`Redis gave an unexpected reply to ${what}`)
}

const storeOptions = ["client", "url", "prefix"]

function checkOptions(options: RedisStoreOptions): { prefix: string } {
  checkFactoryOptions("createRedisStore", options, storeOptions)
  const { client, url, prefix = "isocache:" } = options
  if (client !== undefined && url !== undefined) {
    throw new InvalidArgumentError("createRedisStore takes a client or a url, not both")
  }
  if (client !== undefined && typeof (client as Partial<RedisClientLike> | null)?.sendCommand !== "function") {
    throw new InvalidArgumentError("options.client must be a node-redis client (it has no sendCommand method)")
  }
  // A pool spreads commands over several connections (so calls issued in order may not arrive in
  // order), and a Sentinel client's sendCommand takes other arguments.
  if (client !== undefined && "totalClients" in client) {
    throw new InvalidArgumentError(
      "options.client: a client pool is not supported; pass one client (createClient()) or a cluster client (createCluster())",
    )
  }
  if (client !== undefined && typeof (client as { getMasterNode?: unknown }).getMasterNode === "function") {
    throw new InvalidArgumentError(
      "options.client: a Sentinel client is not supported; pass a client of the primary (createClient()) or a cluster client (createCluster())",
    )
  }
  if (url !== undefined && !/^(rediss?|unix):\/\//i.test(String(url))) {
    throw new InvalidArgumentError(`options.url must be a redis://, rediss:// or unix:// URL, got ${String(url)}`)
  }
  if (typeof prefix !== "string") throw new InvalidArgumentError("options.prefix must be a string")
  if (/[{}]/.test(prefix)) {
    throw new InvalidArgumentError(
      `options.prefix must not contain { or }: the store puts the cache name in braces after it (a hash tag), got ${JSON.stringify(prefix)}`,
    )
  }
  return { prefix }
}

/**
 * Creates a store that keeps entries in Redis (6.2 or later, a single server or a primary with
 * replicas; or a Redis Cluster, 7.0 or later, through a node-redis cluster client). Each entry is one Redis string, `prefix + {"name"}["version","key"]`,
 * holding the value in V8's structured-clone format; every entry of a name is also in a per-name sorted
 * set (`prefix + {"name"}:entries`, which `list` and `clear` read: no `SCAN`), and expiring ones in
 * another (`prefix + {"name"}:expiry`, which `sweep` reads). Redis expires entries itself as well
 * (`PX`, from the real clock). Every call is one round trip: `getMany` is one `MGET`; `setMany`, `add`
 * (and `getOrSet`'s write), `incr`/`decr`, `touch` and `delete`/`deleteMany` are one Lua script each,
 * which reads and writes atomically on the server, with the cache's clock as an argument (an entry's
 * header holds its expiry, and a number is kept as a double that the script adds to with JavaScript's
 * arithmetic): no retry loop, whatever the contention.
 *
 * On a cluster, the name's JSON in braces is the hash tag of every key of the name: all of them are in
 * one slot, on one master (names spread over the masters), so each call stays one command or one
 * script there, always on the master (never a replica); a master that lacks a script gets its source
 * once (`NOSCRIPT`, then `EVAL`); changes travel by sharded pub/sub (`SPUBLISH` from the scripts,
 * `SSUBSCRIBE` on a duplicate of the cluster client made with `minimizeConnections`).
 *
 * Changes (`Cache.subscribe`) travel over Redis pub/sub, between every cache of a name on the server,
 * in this process or another: a write's event is one `PUBLISH` on the channel `prefix + {"name"}`, made
 * by the write's own script once it wrote (a refused `PUBLISH` loses the event, never the write;
 * `clear` sends its own after clearing). A
 * subscribed cache holds one more connection (the app's client `duplicate()`d, or one on `url` that
 * reconnects by itself), only while it has subscribers. Pub/sub is server-wide: caches of one name on
 * two databases of one server see each other's events unless their prefixes differ. Concurrent
 * `getOrSet` misses of one key run the factory once across processes: the first holds a lock key
 * (`prefix + {"name"}:lock["version","key"]`, `SET NX PX`) for at most 10 s, the others wait for it (at
 * most as long) and then read what it stored.
 *
 * @param options - `client` or `url`, and `prefix`
 * @returns the store, to pass as the `store` option of a `Cache` (each cache opens its own name on it)
 * @throws InvalidArgumentError for both `client` and `url`, a bad `url`, `prefix` (one holding `{` or
 *   `}` included) or `client` (a client pool or a Sentinel client included: pass a `createClient()` or
 *   `createCluster()` client), or an option it does not take (`name` included: the cache's name picks
 *   its entries)
 * @example
 * ```ts
 * import { createClient } from "redis"
 * import { Cache } from "isocache"
 * import { createRedisStore } from "isocache/stores/redis"
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * const cache = new Cache({ name: "pages", timeout: 60, store: createRedisStore({ client }) })
 * ```
 * @example
 * A Redis Cluster:
 * ```ts
 * import { createCluster } from "redis"
 *
 * const cluster = await createCluster({ rootNodes: [{ url: "redis://10.0.0.1:6379" }] }).connect()
 * const cache = new Cache({ name: "pages", store: createRedisStore({ client: cluster }) })
 * ```
 */
export function createRedisStore(options: RedisStoreOptions = {}): RedisStore {
  const { prefix } = checkOptions(options)
  const connection = new RedisConnection(options.client ?? null, options.url)
  // Namespaces open on the connection: it closes when the last one does.
  let users = 0
  return {
    kind: "redis",
    async open(name, { maxEntries }) {
      if (maxEntries !== null) {
        throw new InvalidArgumentError(
          "maxEntries: the Redis store cannot keep a bound; leave maxEntries out (Redis's own maxmemory policy bounds a server)",
        )
      }
      const layout = redisLayout(prefix, name)
      // The cache may subscribe once its namespace is open (within the microtasks that follow): until
      // then, the writes of other caches of the name in this process wait (see holdWrites).
      let opened = (): void => {}
      holdWrites(
        layout.channel,
        new Promise<void>((resolve) => {
          opened = resolve
        }),
      )
      try {
        await connection.client()
      } finally {
        setImmediate(opened)
      }
      users++
      let open = true
      return redisNamespace(layout, connection, async () => {
        if (!open) return
        open = false
        if (--users === 0) await connection.close()
      })
    },
  }
}

function redisNamespace(layout: RedisLayout, connection: RedisConnection, close: () => Promise<void>): StoreNamespace {
  const turns = new KeyTurns()
  const cut = String(layout.baseBytes)
  const changes = new RedisChanges(connection, layout.channel)
  // Every command of the name goes to its slot: any key of the name routes it (all share one slot).
  const slot = layout.entries

  // The five WRITE arguments of one entry after the expectation: action, value, ttl, score.
  const writeArgs = (key: StoreKey, write: StoreWrite): Array<string | Buffer> => {
    if (write === undefined) return ["", "", "", ""]
    if (write === null) return ["del", "", "", ""]
    // Redis and the sweep remove an entry once its stale windows are over too.
    const removal = removalTime(write)
    return ["set", encodeEntry(key, write), serverTtl(removal), removal === null ? "" : String(removal)]
  }

  // The publish command, channel and message of the change a write script publishes once it wrote
  // `keys` (a cache's "set" change, as its Cache reports it to its own listeners).
  const announce = (version: string, keys: readonly string[]): [string, string, string] => [
    changes.command,
    layout.channel,
    changes.message({ type: "set", keys, version: version || null }),
  ]

  // Runs `call` on the connected client once the earlier calls on `ids` are done. A read gives its
  // turn back as soon as its command is sent (the connection keeps the order from there); a write
  // keeps it until Redis answers, since a write may be sent again (a retry, an uncached script).
  const withTurn = async <T>(
    ids: readonly string[],
    write: boolean,
    call: (target: RedisTarget) => Promise<T>,
  ): Promise<T> => {
    const release = await turns.take(ids)
    try {
      const held = write ? writesHeld(layout.channel) : null
      if (held) await held
      const target = await connection.client()
      const pending = call(target)
      if (!write) release()
      return await pending
    } finally {
      release()
    }
  }

  return {
    async close() {
      await changes.close()
      await close()
    },

    // Every change between caches travels through Redis, even between two caches of this process: a
    // backend of its own keeps the realm's registry (src/changes.ts) from delivering one a second time.
    backend: {},
    // The write scripts publish their "set" and "delete" changes themselves, with the write (one round
    // trip, and a change is published if and only if it was committed): only `clear` is left.
    publish: (change) => {
      if (change.type === "clear") changes.publish(change)
    },
    subscribe: (listener) => changes.subscribe(listener),
    lock: (key, fn) => withLock(connection, layout.lockKey(key), fn),

    async getMany(keys) {
      if (keys.length === 0) return []
      const ids = keys.map(layout.entryKey)
      const reply = await withTurn(ids, false, (target) => send(target, slot, ["MGET", ...ids], "getMany"))
      return bytesList(reply, ids.length, "MGET").map(decodeEntry)
    },

    async setMany(entries) {
      const ids = entries.map(([key]) => layout.entryKey(key))
      // Encode first: a value that cannot be stored fails the call before anything is sent.
      const args: RedisArgs = [
        cut,
        ...entries.flatMap(([key, entry]) => ["", ...writeArgs(key, entry)]),
        ...announce(entries[0]?.[0][0] ?? "", [...new Set(entries.map(([[, key]]) => key))]),
      ]
      await withTurn(ids, true, (target) =>
        runScript(target, WRITE, [layout.index, layout.entries, ...ids], args, "setMany"),
      )
    },

    // The generic read-modify-write, which a Cache no longer calls here (it has the one-script calls
    // below): an optimistic compare-and-set, retried. It publishes no change.
    update<R>(keys: readonly StoreKey[], fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>) {
      const ids = keys.map(layout.entryKey)
      return withTurn(ids, true, async (target) => {
        let bytes =
          ids.length === 0 ? [] : bytesList(await send(target, slot, ["MGET", ...ids], "update"), ids.length, "MGET")
        for (let attempt = 1; ; attempt++) {
          const { writes, result } = fn(bytes.map(decodeEntry))
          if (writes.every((write) => write === undefined)) return result
          const args: RedisArgs = [
            cut,
            ...keys.flatMap((key, i) => {
              const read = bytes[i] ?? null
              return [read === null ? "-" : sha1(read), ...writeArgs(key, writes[i])]
            }),
            // No change published: the Cache makes its writes with the calls below.
            "",
            "",
            "",
          ]
          const reply = await runScript(target, WRITE, [layout.index, layout.entries, ...ids], args, "update")
          if (Array.isArray(reply) && reply[0] === 1) return result
          if (!Array.isArray(reply) || reply[0] !== 0) throw new StoreError("Redis gave an unexpected reply to update")
          if (attempt === MAX_ATTEMPTS) {
            throw new StoreError(`update gave up after ${MAX_ATTEMPTS} attempts: other clients kept changing its keys`)
          }
          // Another client changed a key in between: decide again from what the script found.
          bytes = bytesList(reply[1], ids.length, "update")
          if (attempt >= 3)
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 8)))
        }
      })
    },

    async add(key, entry, now) {
      const id = layout.entryKey(key)
      const args: RedisArgs = [cut, encodeNumber(now), ...writeArgs(key, entry).slice(1), ...announce(key[0], [key[1]])]
      const reply = await withTurn([id], true, (target) =>
        runScript(target, ADD, [layout.index, layout.entries, id], args, "add"),
      )
      if (reply === 0) return null
      const current = Buffer.isBuffer(reply) ? decodeEntry(reply) : undefined
      if (current) return current
      throw new StoreError("Redis gave an unexpected reply to add (or holds an unreadable entry)")
    },

    async incr(key, delta, now) {
      const id = layout.entryKey(key)
      const args: RedisArgs = [encodeNumber(now), encodeNumber(delta), ...announce(key[0], [key[1]])]
      const reply = await withTurn([id], true, (target) => runScript(target, INCR, [id], args, "incr"))
      const value = decodeNumber(reply)
      if (value !== undefined) return { status: "added", value }
      if (reply === 0) return { status: "missing" }
      const [bytes] = bytesList(reply, 1, "incr")
      // An entry whose value V8 cannot read is a miss, as it is for a read.
      const current = decodeEntry(bytes ?? null)
      return current ? { status: "notANumber", value: current.value } : { status: "missing" }
    },

    async touch(key, expiresAt, now) {
      const id = layout.entryKey(key)
      const args: RedisArgs = [
        cut,
        encodeNumber(now),
        expiresAt === null ? "" : encodeNumber(expiresAt),
        String(Date.now()),
        ...announce(key[0], [key[1]]),
      ]
      const reply = await withTurn([id], true, (target) => runScript(target, TOUCH, [layout.index, id], args, "touch"))
      if (reply !== 0 && reply !== 1) throw new StoreError("Redis gave an unexpected reply to touch")
      return reply === 1
    },

    async deleteLive(keys, now) {
      const ids = keys.map(layout.entryKey)
      // The change's JSON with its keys last, cut before them: the script adds the live ones.
      const change = changes.message({ type: "delete", version: keys[0]?.[0] || null, keys: [] })
      const args: RedisArgs = [
        cut,
        encodeNumber(now),
        changes.command,
        layout.channel,
        change.slice(0, -"]}}".length),
        ...keys.map(([, key]) => JSON.stringify(key)),
      ]
      const reply = await withTurn(ids, true, (target) =>
        runScript(target, DELETE, [layout.index, layout.entries, ...ids], args, "delete"),
      )
      if (!Array.isArray(reply) || reply.length !== ids.length)
        throw new StoreError("Redis gave an unexpected reply to delete")
      return reply.map((live) => live === 1)
    },

    async list(version) {
      const release = await turns.takeAll()
      let reply: unknown
      try {
        const target = await connection.client()
        const pending = runScript(target, LIST, [layout.entries], [layout.base, layout.versionPrefix(version)], "list")
        release()
        reply = await pending
      } finally {
        release()
      }
      if (!Array.isArray(reply) || reply.length % 2 !== 0)
        throw new StoreError("Redis gave an unexpected reply to list")
      const found: Array<readonly [string, StoreEntry]> = []
      for (let i = 0; i < reply.length; i += 2) {
        const entry = decodeEntry(reply[i + 1] as Buffer)
        // The member is the JSON of [version, key].
        if (entry) found.push([(JSON.parse(String(reply[i])) as [string, string])[1], entry])
      }
      return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async clear() {
      const release = await turns.takeAll()
      try {
        const held = writesHeld(layout.channel)
        if (held) await held
        const target = await connection.client()
        // Batches of CLEAR_BATCH: each call deletes the entries the one before found, and finds the next
        // ones. An entry written meanwhile by another process is deleted too, or found by no batch.
        let found: string[] = []
        do {
          const reply = await runScript(
            target,
            CLEAR,
            [layout.index, layout.entries, ...found],
            [cut, String(CLEAR_BATCH)],
            "clear",
          )
          if (!Array.isArray(reply)) throw new StoreError("Redis gave an unexpected reply to clear")
          found = reply.map((member) => `${layout.base}${String(member)}`)
        } while (found.length > 0)
      } finally {
        release()
      }
    },

    async sweep(now, limit) {
      const target = await connection.client()
      // Found ahead, then each checked again in the script that deletes it (it may have been rewritten).
      const due = await send(
        target,
        slot,
        ["ZRANGEBYSCORE", layout.index, "-inf", String(now), "LIMIT", "0", String(limit)],
        "sweep",
      )
      if (!Array.isArray(due)) throw new StoreError("Redis gave an unexpected reply to sweep")
      if (due.length === 0) return 0
      const ids = due.map((member) => `${layout.base}${String(member)}`)
      const reply = await runScript(target, SWEEP, [layout.index, layout.entries, ...ids], [cut, String(now)], "sweep")
      if (typeof reply !== "number") throw new StoreError("Redis gave an unexpected reply to sweep")
      return reply
    },
  }
}
