// One process of the multi-process tests. It imports the BUILT package as an app would (the redis:// URL
// loads dist/stores/redis.js through the package's exports), connects, says "ready", and on "go" from
// stdin runs its calls, then prints their results as JSON. A `cluster://host:port,host:port` URL
// puts every cache on one node-redis cluster client of those nodes instead, closed at the end. Modes:
//   incr COUNT               COUNT concurrent incr of one counter
//   add COUNT                add of COUNT keys, all at once
//   load-incr COUNT          as incr, but every call settles: prints { values, errors, ms }
//   load-add COUNT           as add, but every call settles: prints { values, errors, ms }
//   events COUNT PROCESSES   subscribed before "ready"; writes COUNT keys and makes calls that fail or
//                            write nothing, waits for the events of all PROCESSES, prints what it got
//   once COUNT               COUNT concurrent getOrSet misses of one key; the factory counts its calls
//                            with incr of "factory-calls" (set to 0 by the test) and takes 100 ms
//   exit VARIANT             subscribes, sees a change of another cache, then leaves (see `leave`);
//                            the test checks that the process ends by itself (or, for "stay", not)
import { Cache } from "isocache"
import { createRedisStore } from "isocache/stores/redis"
import { createClient, createCluster } from "redis"

const [url, name, mode, arg, processesText] = process.argv.slice(2)
const count = Number(arg)
const cluster = url.startsWith("cluster://")
  ? createCluster({
      rootNodes: url
        .slice("cluster://".length)
        .split(",")
        .map((node) => ({ url: `redis://${node}` })),
    })
  : null
cluster?.on("error", () => {})
// A cache of the name: on `store`, or on its own client from the URL (on the cluster client).
const open = (store) =>
  store
    ? new Cache({ name, store, sweepInterval: null })
    : cluster
      ? new Cache({ name, store: createRedisStore({ client: cluster }), sweepInterval: null })
      : new Cache(`${url}?name=${encodeURIComponent(name)}`, { sweepInterval: null })
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const cache = open()
await cache.connect()
const received = []
const stop = mode === "events" ? cache.subscribe((event) => received.push(event)) : () => {}
process.stdout.write("ready\n")
await new Promise((resolve) => process.stdin.once("data", resolve))

async function events() {
  const mine = Array.from({ length: count }, (_, i) => `${process.pid}:${i}`)
  await Promise.all(mine.map((key, i) => cache.set(key, i)))
  // None of these writes anything: no event.
  await cache.incr(`missing:${process.pid}`).catch(() => {})
  await cache.set(`function:${process.pid}`, () => 1).catch(() => {})
  await cache.getOrSet(`failing:${process.pid}`, () => Promise.reject(new Error("down"))).catch(() => {})
  await cache.add(mine[0], "again")
  const expected = count * Number(processesText)
  for (const deadline = Date.now() + 10_000; received.length < expected && Date.now() < deadline; ) await sleep(10)
  await sleep(300) // a duplicate would come now
  stop()
  return {
    pid: process.pid,
    local: received.filter((event) => event.local).length,
    keys: received.flatMap((event) => (event.type === "set" ? event.keys : [`${event.type}?`])),
  }
}

function once() {
  const factory = async () => {
    await cache.incr("factory-calls")
    await sleep(100)
    return process.pid
  }
  return Promise.all(Array.from({ length: count }, () => cache.getOrSet("shared", factory, { timeout: 600 })))
}

// Subscribes a cache and waits until a change of another cache reaches it through Redis (the
// subscription is confirmed), then leaves as VARIANT says.
async function leave(variant) {
  const own = variant === "unsubscribe" || variant === "stay"
  const client = own && !cluster ? await createClient({ url }).connect() : null
  const watcher = client ? open(createRedisStore({ client })) : open()
  const writer = client ? open(createRedisStore({ client })) : open()
  let seen = 0
  const unsubscribe = watcher.subscribe(() => seen++)
  if (variant === "hasty") {
    // Gone while its subscriber connection is still connecting.
    await watcher.disconnect()
    await writer.disconnect()
    return { seen }
  }
  for (let i = 0; seen === 0 && i < 200; i++) {
    await writer.set("k", i)
    await sleep(20)
  }
  if (variant === "disconnect") {
    await watcher.disconnect() // without unsubscribing
    await writer.disconnect()
  } else {
    if (variant === "unsubscribe") unsubscribe()
    // The app's client no longer holds the process (on a cluster it is closed, the caches are not);
    // the subscription alone would.
    if (cluster) await cluster.close()
    else client.unref()
  }
  return { seen }
}

// Runs `count` calls at once, each to its end: the values of those that succeeded, the messages of
// those that failed, and how long the whole took.
async function settled(call) {
  const start = performance.now()
  const outcomes = await Promise.allSettled(Array.from({ length: count }, (_, i) => call(i)))
  return {
    values: outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : null)),
    errors: outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : [])),
    ms: performance.now() - start,
  }
}

const results =
  mode === "load-incr"
    ? await settled(() => cache.incr("counter"))
    : mode === "load-add"
      ? await settled((i) => cache.add(`lock-${i}`, process.pid))
      : mode === "incr"
        ? await Promise.all(Array.from({ length: count }, () => cache.incr("counter")))
        : mode === "add"
          ? await Promise.all(Array.from({ length: count }, (_, i) => cache.add(`lock-${i}`, process.pid)))
          : mode === "events"
            ? await events()
            : mode === "once"
              ? await once()
              : await leave(arg)
await cache.disconnect()
if (cluster?.isOpen) await cluster.close()
process.stdout.write(`${JSON.stringify(results)}\n`)
