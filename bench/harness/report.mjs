// Turns the raw samples into Markdown tables: printed to stdout and written to bench/results.md.

export const REFERENCE = "isocache"

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const rate = (sample) => (sample ? (sample.ops / sample.ms) * 1000 : undefined)

const int = (n) => Math.round(n).toLocaleString("en-US")
const ratio = (n) => (n === undefined ? "—" : `${n.toFixed(2)}×`)
const bytes = (n) => `${n.toLocaleString("en-US")} B`

function row(cells) {
  return `| ${cells.join(" | ")} |`
}

function table(head, align, rows) {
  return [row(head), row(align), ...rows.map(row)].join("\n")
}

/**
 * Per workload and peer: the median rate over the runs, its min–max, and the median of the per-run
 * ratios to isocache (each ratio is taken within one run, so noise that hits the whole run cancels).
 */
export function summarise(env) {
  const stats = {}
  for (const { id } of env.workloads) {
    stats[id] = {}
    for (const peer of env.peers) {
      const rates = env.runs.map((run) => rate(run.samples[peer]?.[id])).filter((x) => x !== undefined)
      if (!rates.length) continue
      stats[id][peer] = {
        median: median(rates),
        min: Math.min(...rates),
        max: Math.max(...rates),
        ratio: pairRatio(env, peer, REFERENCE, id),
      }
    }
  }
  return stats
}

/** The compact table: isocache's rate, and how it compares with each peer (isocache ÷ peer). */
export function ratioTable(env, stats) {
  const others = env.peers.filter((p) => p !== REFERENCE)
  const rows = env.workloads.map(({ id, label }) => [
    label,
    stats[id][REFERENCE] ? int(stats[id][REFERENCE].median) : "—",
    ...others.map((p) => {
      const r = stats[id][p]?.ratio
      return r === undefined ? "—" : ratio(1 / r)
    }),
  ])
  return table(
    ["workload", "isocache ops/s", ...others.map((p) => `÷ ${p}`)],
    ["---", "---:", ...others.map(() => "---:")],
    rows,
  )
}

/** The full table: every peer's median, spread and ratio to isocache, with the footnotes. */
export function fullTable(env, stats) {
  const rows = []
  for (const { id, label } of env.workloads) {
    let first = true
    for (const peer of env.peers) {
      const s = stats[id][peer]
      if (!s) continue
      rows.push([
        first ? label : "",
        peer,
        int(s.median),
        `${int(s.min)}–${int(s.max)}`,
        ratio(s.ratio),
        env.notes[peer]?.[id] ?? "",
      ])
      first = false
    }
  }
  return table(
    ["workload", "peer", "ops/s (median)", "spread (min–max)", "peer ÷ isocache", "how"],
    ["---", "---", "---:", "---:", "---:", "---"],
    rows,
  )
}

export function sweepTable(sweeps) {
  const ms = sweeps.map((s) => s.ms)
  const stalls = sweeps.map((s) => s.longestStallMs)
  const idle = sweeps.map((s) => s.idleStallMs)
  const tasks = sweeps.map((s) => s.longestTaskMs)
  const ownTasks = sweeps.map((s) => s.longestTaskWithoutGcMs)
  const idleTasks = sweeps.map((s) => s.idleTaskMs)
  const count = sweeps[0]?.count ?? 0
  const ms1 = (value) => `${value.toFixed(1)} ms`
  return table(
    [
      "expired entries",
      "time until clean (median)",
      "spread (min–max)",
      "entries/s",
      "longest task (median)",
      "worst",
      "idle page, longest task",
      "longest without GC (median)",
      "worst",
      "longest stall (median)",
      "worst",
      "idle page, worst stall",
    ],
    ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
    [
      [
        int(count),
        `${int(median(ms))} ms`,
        `${int(Math.min(...ms))}–${int(Math.max(...ms))} ms`,
        int((count / median(ms)) * 1000),
        ms1(median(tasks)),
        ms1(Math.max(...tasks)),
        ms1(Math.max(...idleTasks)),
        ms1(median(ownTasks)),
        ms1(Math.max(...ownTasks)),
        ms1(median(stalls)),
        ms1(Math.max(...stalls)),
        ms1(Math.max(...idle)),
      ],
    ],
  )
}

export function sizeTable(sizes) {
  return table(
    ["import", "min", "min+gzip"],
    ["---", "---:", "---:"],
    sizes.map((s) => [s.label, bytes(s.min), bytes(s.gzip)]),
  )
}

function chromiumSection(env, settings) {
  const stats = summarise(env)
  const s = settings.browserSizes
  return [
    `## Chromium ${env.version}: IndexedDB on an on-disk profile`,
    "",
    `N = ${int(s.n)} values of a ~200-byte object; ${env.runs.length} run(s) after a small warm-up run. In each run every`,
    "peer has a fresh database, and each workload runs on every peer back to back (order rotated per",
    "workload and run), so that a ratio compares samples taken seconds apart. ops/s (items/s for getMany/setMany).",
    `The durability variants of isocache run in the first ${settings.durabilityRuns} runs only, to keep the default run near 5 minutes.`,
    "",
    "**isocache compared with each peer** (isocache ÷ peer, median of the per-run ratios; above 1 = isocache faster):",
    "",
    ratioTable(env, stats),
    "",
    fullTable(env, stats),
    "",
    '"idb, 1 tx/batch" runs only the concurrent and batch workloads: a sequential caller waits for each',
    'operation, so there is nothing to batch (its ceiling is the "idb, 1 tx/op" row).',
    "",
    `**Expiry sweep** (isocache \`sweep()\` of ${int(settings.sweepCount)} expired entries, fake clock, measured in ${env.sweeps.length} of the`,
    "runs. Longest task = the longest task the page's main thread ran while the sweep ran, read from a Chromium",
    'trace (categories toplevel, blink.user_timing and v8): how long the page could not respond; "without GC"',
    "takes out of each task the collections V8 ran in it (the sweep's garbage is collected there). Stall = the",
    "longest gap between two ticks of a setTimeout(0) loop, as a page's own work would see it (~4 ms of it",
    'being the timer clamp, more being the wait for a core on this loaded machine). "Idle page" = the same',
    "measures for 0.5 s just before, with nothing running: what the machine's own load accounts for):",
    "",
    sweepTable(env.sweeps),
  ].join("\n")
}

// The sweep in engines without a trace of the page's tasks: the time, and the setTimeout(0) stalls.
function stallSweepTable(sweeps) {
  const ms = sweeps.map((s) => s.ms)
  const count = sweeps[0]?.count ?? 0
  const ms1 = (value) => `${value.toFixed(1)} ms`
  return table(
    [
      "expired entries",
      "time until clean (median)",
      "spread (min–max)",
      "entries/s",
      "longest stall (median)",
      "worst",
      "idle page, worst stall",
    ],
    ["---:", "---:", "---:", "---:", "---:", "---:", "---:"],
    [
      [
        int(count),
        `${int(median(ms))} ms`,
        `${int(Math.min(...ms))}–${int(Math.max(...ms))} ms`,
        int((count / median(ms)) * 1000),
        ms1(median(sweeps.map((s) => s.longestStallMs))),
        ms1(Math.max(...sweeps.map((s) => s.longestStallMs))),
        ms1(Math.max(...sweeps.map((s) => s.idleStallMs))),
      ],
    ],
  )
}

const engineTitles = {
  firefox: (env) => `## Firefox ${env.version}: IndexedDB on an on-disk profile`,
  webkit: (env) => `## WebKit (WebKitGTK ${env.version}): IndexedDB in memory (WebDriver's sessions are ephemeral)`,
}

function engineSection(name, env, settings) {
  const stats = summarise(env)
  return [
    engineTitles[name](env),
    "",
    `The same page, workloads and interleaving as in Chromium (N = ${int(settings.browserSizes.n)}), ${env.runs.length} run(s) after a warm-up run; every ratio is`,
    `taken within this engine and run. ${env.userAgent}`,
    "",
    "**isocache compared with each peer** (isocache ÷ peer, median of the per-run ratios; above 1 = isocache faster):",
    "",
    ratioTable(env, stats),
    "",
    fullTable(env, stats),
    "",
    `**Expiry sweep** (isocache \`sweep()\` of ${int(settings.sweepCount)} expired entries, in ${env.sweeps.length} of the runs; stall = the longest gap`,
    "between two ticks of a setTimeout(0) loop in the page):",
    "",
    stallSweepTable(env.sweeps),
  ].join("\n")
}

function nodeSection(env, settings) {
  const stats = summarise(env)
  return [
    `## Node ${env.version}: memory store`,
    "",
    `Same workloads, data and interleaving (N = ${int(settings.nodeSizes.n)}), ${env.runs.length} run(s) after one warm-up run; each workload`,
    `repeats until it has run ${settings.nodeSizes.minTimeMs} ms. isocache checks and copies values on the way in and copies them`,
    "on the way out (plain data by hand, other types with structuredClone), keyv serialises them to JSON,",
    "lru-cache keeps references (synchronous; here for scale).",
    "",
    "**isocache compared with each peer** (isocache ÷ peer, median of the per-run ratios):",
    "",
    ratioTable(env, stats),
    "",
    fullTable(env, stats),
    "",
    `**Memory front** (\`isocache/front\`): ${int(env.frontBytesPerEntry)} bytes of heap per entry held, for 10,000 of the`,
    "~200-byte items read through it (a copy of each value, its key and entry; measured with the collector run",
    "before and after).",
  ].join("\n")
}

// The Redis peers (bench/redis/peers.ts): the bare client, and the sequential readers of the getMany workload.
const BARE = "node-redis"
const SEQUENTIAL = { [REFERENCE]: "isocache, 100 × get", [BARE]: "node-redis, 100 × GET" }

/** The median over the runs of peer `a`'s rate ÷ peer `b`'s, both on workload `id` of the same run. */
function pairRatio(env, a, b, id) {
  const ratios = env.runs
    .map((run) => {
      const x = rate(run.samples[a]?.[id])
      const y = rate(run.samples[b]?.[id])
      return x !== undefined && y !== undefined ? x / y : undefined
    })
    .filter((x) => x !== undefined)
  return ratios.length ? median(ratios) : undefined
}

/** The Redis table: isocache and bare node-redis side by side, and bare ÷ isocache. */
export function redisTable(env, stats) {
  const rows = env.workloads.map(({ id, label }) => {
    const mine = stats[id][REFERENCE]
    const bare = stats[id][BARE]
    const how = [env.notes[REFERENCE]?.[id], env.notes[BARE]?.[id]].filter(Boolean).join(" / ")
    return [label, mine ? int(mine.median) : "—", bare ? int(bare.median) : "—", ratio(bare?.ratio), how]
  })
  return table(
    ["workload", "isocache ops/s", `${BARE} ops/s`, `${BARE} ÷ isocache`, "commands (isocache / node-redis)"],
    ["---", "---:", "---:", "---:", "---"],
    rows,
  )
}

/** 100 keys in one round trip (getMany, MGET) against 100 sequential reads, per library. */
export function roundTripTable(env, stats) {
  const libraries = [REFERENCE, BARE]
  const cell = (peer) => (stats.getMany[peer] ? `${int(stats.getMany[peer].median)} items/s` : "—")
  return table(
    ["read 100 keys", ...libraries],
    ["---", ...libraries.map(() => "---:")],
    [
      ["one round trip (`getMany` / `MGET`)", ...libraries.map(cell)],
      ["100 sequential reads (`get` / `GET`)", ...libraries.map((p) => cell(SEQUENTIAL[p]))],
      ["one round trip ÷ sequential", ...libraries.map((p) => ratio(pairRatio(env, p, SEQUENTIAL[p], "getMany")))],
    ],
  )
}

function redisSection(env, settings) {
  const stats = summarise(env)
  return [
    `## Redis ${env.server}: the isocache Redis store and a bare node-redis client (Node ${env.version})`,
    "",
    `Same workloads and data (N = ${int(settings.redisSizes.n)}), ${env.runs.length} run(s) after one warm-up run, against a redis-server started`,
    "for the run on a loopback port (no persistence); each peer has a client and keys of its own. Each workload",
    `repeats until it has run ${settings.redisSizes.minTimeMs} ms. Every write expires in an hour (\`PX\`). isocache stores V8 structured-clone`,
    "bytes and keeps a per-name expiry index (a sorted set); the bare client stores JSON and does nothing else.",
    "",
    `**The bare client compared with isocache** (${BARE} ÷ isocache, median of the per-run ratios; above 1 = the bare client faster):`,
    "",
    redisTable(env, stats),
    "",
    "**100 keys in one round trip, or in 100:**",
    "",
    roundTripTable(env, stats),
    "",
    fullTable(env, stats),
  ].join("\n")
}

/** The report: one section per environment, then the bundle sizes. */
export function renderTables({ chromium, firefox, webkit, node, redis, sizes, settings }) {
  const parts = []
  if (chromium) parts.push(chromiumSection(chromium, settings))
  if (firefox) parts.push(engineSection("firefox", firefox, settings))
  if (webkit) parts.push(engineSection("webkit", webkit, settings))
  if (node) parts.push(nodeSection(node, settings))
  if (redis) parts.push(redisSection(redis, settings))
  if (sizes) {
    parts.push(
      [
        "## Bundle size",
        "",
        "Vite 8 (rolldown) library build of a one-line entry per import, minified ESM with every dependency inside;",
        "gzip -9 through node:zlib. The browser file is built with the project's own config, as `npm run build` does.",
        "",
        sizeTable(sizes),
      ].join("\n"),
    )
  }
  return parts.join("\n\n")
}

export function renderResults({ machine, started, seconds, durations, load, command, tables }) {
  const took = Object.entries(durations)
    .map(([name, s]) => `${name} ${Math.round(s)} s`)
    .join(", ")
  const v = machine.versions
  return `# Benchmark results

Written by \`${command}\` on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; the run took ${Math.round(seconds)} s (${took}).
The machine is shared and noisy (load average ${load.map((l) => l.toFixed(1)).join(" at the start, ")} at the end, on ${machine.cores} cores):
compare peers through the ratios (taken within one run), not the absolute rates.

- Machine: ${machine.cores} cores (nproc), ${machine.cpu}, ${machine.memoryGiB.toFixed(0)} GiB memory, ${machine.os}
- Node ${machine.node}; Chromium ${machine.chromium ?? "—"} (Debian, headless, driven by Playwright ${v.playwright}); Firefox ${machine.firefox ?? "—"} (Debian ESR, headless, puppeteer-core); WebKitGTK ${machine.webkit ?? "—"} (Debian's MiniBrowser under Xvfb, webdriverio)
- isocache ${machine.isocache}; idb ${v.idb}, idb-keyval ${v["idb-keyval"]}, localforage ${v.localforage},
  dexie ${v.dexie}, keyv ${v.keyv}, lru-cache ${v["lru-cache"]}, node-redis ${v.redis} (redis-server ${machine.redisServer ?? "—"}); bundled by Vite ${v.vite}

${tables}
`
}
