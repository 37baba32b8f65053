// One process of the multi-process test. It imports the BUILT package as an app would (the redis:// URL
// loads dist/stores/redis.js through the package's exports), connects, says "ready", and on "go" from
// stdin runs its calls all at once, then prints their results as JSON.
import { Cache } from "isocache"

const [url, name, mode, countText] = process.argv.slice(2)
const count = Number(countText)
const cache = new Cache(`${url}?name=${encodeURIComponent(name)}`, { sweepInterval: null })
await cache.connect()
process.stdout.write("ready\n")
await new Promise((resolve) => process.stdin.once("data", resolve))
const calls =
  mode === "incr"
    ? Array.from({ length: count }, () => cache.incr("counter"))
    : Array.from({ length: count }, (_, i) => cache.add(`lock-${i}`, process.pid))
const results = await Promise.all(calls)
await cache.disconnect()
process.stdout.write(`${JSON.stringify(results)}\n`)
