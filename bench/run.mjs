// `npm run bench`: isocache against its peers, in Chromium, Firefox and WebKit (IndexedDB), in Node (memory) and
// on a private redis-server (the Redis store against a bare node-redis client), plus bundle sizes. Prints one table per environment and writes bench/results.md.
//
//   node bench/run.mjs            default: N = 2,000, 5 runs, writes bench/results.md
//   node bench/run.mjs --large    N = 10,000, writes bench/results-large.md
//   node bench/run.mjs --quick    smoke run (tiny N, 1 run), proves only that everything runs; never writes
//   --no-write                    print only
//   --runs=7                      more runs (at least 5 for results worth quoting)
//   --sweep-runs=3                in how many of the runs the expiry sweep is measured (default: 3)
//   --only=chromium,firefox,webkit,node,redis,sizes  a part of the benchmark (never writes)
import { writeFileSync } from "node:fs"
import { loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { benchChromium } from "./harness/chromium.mjs"
import { settingsFor } from "./harness/config.mjs"
import { benchEngine } from "./harness/engine.mjs"
import { machine } from "./harness/machine.mjs"
import { benchNode } from "./harness/node.mjs"
import { benchRedis } from "./harness/redis.mjs"
import { renderResults, renderTables } from "./harness/report.mjs"
import { bundleSizes } from "./harness/sizes.mjs"

const parts = ["chromium", "firefox", "webkit", "node", "redis", "sizes"]

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    large: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    runs: { type: "string" },
    "sweep-runs": { type: "string" },
    only: { type: "string" },
  },
})

const only = flags.only ? flags.only.split(",") : parts
for (const part of only)
  if (!parts.includes(part)) throw new Error(`--only: unknown part ${part} (${parts.join(", ")})`)
const count = (flag) => {
  if (flags[flag] === undefined) return undefined
  const n = Number(flags[flag])
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`--${flag} must be a positive integer`)
  return n
}
const runs = count("runs")
const sweepRuns = count("sweep-runs")

const settings = settingsFor({ quick: flags.quick, large: flags.large, runs, sweepRuns })
// Progress goes to stderr: stdout holds only the tables.
const log = (line) => process.stderr.write(`${line}\n`)
const started = new Date()
// Other work on the machine slows everything: say how busy it was.
const loadAtStart = loadavg()[0]

log(
  `isocache benchmark: ${flags.quick ? "quick smoke run" : `N = ${settings.browserSizes.n}`}, ${settings.runs} run(s)`,
)
const durations = {}
// Runs one part of the benchmark if asked for, and notes how long it took.
const part = async (name, run) => {
  if (!only.includes(name)) return null
  const start = Date.now()
  const result = await run()
  durations[name] = (Date.now() - start) / 1000
  log(`  ${name}: ${durations[name].toFixed(0)} s`)
  return result
}
const sizes = await part("sizes", bundleSizes)
// The browser parts' settings, the same in every engine.
const engineOptions = {
  sizes: settings.browserSizes,
  sweepCount: settings.sweepCount,
  sweepRuns: settings.sweepRuns,
  durabilityRuns: settings.durabilityRuns,
  runs: settings.runs,
  log,
}
const chromium = await part("chromium", () => benchChromium(engineOptions))
const firefox = await part("firefox", () => benchEngine("firefox", engineOptions))
const webkit = await part("webkit", () => benchEngine("webkit", engineOptions))
const node = await part("node", () => benchNode({ sizes: settings.nodeSizes, runs: settings.runs, log }))
// Skipped (null), with a loud line on stderr, when redis-server is missing.
const redis = await part("redis", () => benchRedis({ sizes: settings.redisSizes, runs: settings.runs, log }))
const seconds = (Date.now() - started.getTime()) / 1000
log(`done in ${seconds.toFixed(0)} s`)

const tables = renderTables({ chromium, firefox, webkit, node, redis, sizes, settings })
process.stdout.write(`${tables}\n`)

const write = !flags["no-write"] && !flags.quick && !flags.only
if (write) {
  const extra = process.argv.slice(2).filter((arg) => arg !== "--no-write")
  const command = `npm run bench${extra.length ? ` -- ${extra.join(" ")}` : ""}`
  const info = {
    ...machine(),
    chromium: chromium?.version,
    firefox: firefox?.version,
    webkit: webkit?.version,
    redisServer: redis?.server,
  }
  const file = join(dirname(fileURLToPath(import.meta.url)), flags.large ? "results-large.md" : "results.md")
  writeFileSync(
    file,
    renderResults({ machine: info, started, seconds, durations, load: [loadAtStart, loadavg()[0]], command, tables }),
  )
  log(`wrote ${file}`)
}
