// Writes `sets` distinct keys into a memory-store cache bounded by `maxEntries` (null = unbounded),
// measuring the heap after a full garbage collection at ten checkpoints. Run by
// heap.node.test.ts as: node --expose-gc heap-probe.mjs <sets> <maxEntries|null>
// It imports the built package (dist/), as an SSR app would.
import { Cache } from "../../dist/index.js"

const sets = Number(process.argv[2])
const maxEntries = process.argv[3] === "null" ? null : Number(process.argv[3])
const gc = globalThis.gc
if (typeof gc !== "function") throw new Error("run with node --expose-gc")

const heapUsed = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const name = "heap-probe"
const cache = new Cache({ name, store: "memory", maxEntries, sweepInterval: null })
await cache.set("warm-up", 0)
await cache.clear()
const base = heapUsed()
const started = performance.now()
const checkpoints = []
const every = sets / 10
for (let i = 0; i < sets; i++) {
  await cache.set(`key-${i}`, { i, payload: `payload of entry ${i}`, list: [i, i + 1] })
  if ((i + 1) % every === 0) {
    checkpoints.push({ sets: i + 1, entries: (await cache.keys()).length, heapGrowth: heapUsed() - base })
  }
}
const last = await cache.get(`key-${sets - 1}`)
console.log(
  JSON.stringify({
    sets,
    maxEntries,
    baseHeap: base,
    checkpoints,
    lastReadBack: last?.i === sets - 1,
    ms: Math.round(performance.now() - started),
  }),
)
