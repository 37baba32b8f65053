// The benchmark runs end to end (`npm run bench -- --quick`): Chromium, Firefox, WebKit, Node, Redis and
// bundle sizes. It checks only that every environment printed a table with every peer; nothing about speed.
// Without redis-server the benchmark skips its Redis part (and test/redis/server.ts says so), except
// under CI, where the Redis table is then missing and this test fails.
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { missingBinaries } from "../engines/binaries.mjs"
import { skipRedis } from "../redis/server.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))

// Without Chromium this file is skipped, except under CI, where the launch then fails loudly.
const skip = missingBinaries("chromium") !== null && process.env.CI !== "true"

/** The Markdown section that starts with `## <title>`, up to the next one. */
function section(report: string, title: string): string {
  const start = report.indexOf(`## ${title}`)
  expect(start, `a "## ${title}" section`).toBeGreaterThanOrEqual(0)
  const end = report.indexOf("\n## ", start + 1)
  return report.slice(start, end === -1 ? undefined : end)
}

/** The peers that have a row in a section's full table (the second column of its rows). */
function peersIn(text: string): Set<string> {
  const peers = new Set<string>()
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim())
    // | workload | peer | ops/s | spread | ratio | how |: a number in the ops/s column.
    if (cells.length === 8 && /^[\d,]+$/.test(cells[3] ?? "")) peers.add(cells[2] ?? "")
  }
  return peers
}

describe.skipIf(skip)("benchmark", () => {
  it("--quick runs in Chromium, Firefox, WebKit, Node and Redis and prints a table for each, with every peer", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["bench/run.mjs", "--quick", "--no-write"], {
      cwd: root,
      timeout: 230_000,
      maxBuffer: 10 * 1024 * 1024,
    })

    const browserPeers = [
      "dexie",
      "idb, 1 tx/batch",
      "idb-keyval's code, isocache's layout",
      "idb, 1 tx/op",
      "idb-keyval",
      "isocache",
      "isocache, at maxEntries",
      "isocache, default",
      "isocache, memory front",
      "isocache, memory front, frozen",
      "isocache, stale getOrSet",
      "isocache, strict",
      "localforage",
    ].sort()
    // Firefox and WebKit: the same peers, and the sweep's stall table.
    for (const engine of ["Firefox", "WebKit"]) {
      const text = section(stdout, engine)
      expect([...peersIn(text)].sort(), engine).toEqual(browserPeers)
      expect(text).toMatch(/\| [\d,]+ \| [\d,]+ ms \| [\d,]+–[\d,]+ ms \| [\d,]+ \| [\d.]+ ms \|/)
    }
    const browser = section(stdout, "Chromium")
    expect([...peersIn(browser)].sort()).toEqual(browserPeers)
    expect(browser).toMatch(/\| [\d,]+ \| [\d,]+ ms \|/) // the sweep table
    // Its longest tasks come from a Chromium trace: the columns are there, with figures in them.
    expect(browser).toContain("| longest task (median) |")
    expect(browser).toMatch(/\| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \|/)

    expect([...peersIn(section(stdout, "Node"))].sort()).toEqual([
      "isocache",
      "isocache, at maxEntries",
      "isocache, stale getOrSet",
      "keyv",
      "lru-cache",
    ])

    if (skipRedis) expect(stdout).not.toContain("## Redis")
    else {
      const redis = section(stdout, "Redis")
      expect([...peersIn(redis)].sort()).toEqual(
        ["isocache", "isocache, 100 × get", "node-redis", "node-redis, 100 × GET"].sort(),
      )
      // The side-by-side table (bare ÷ isocache) and the one-round-trip table.
      expect(redis).toMatch(/\| sequential set \([\d,]+\) \| [\d,]+ \| [\d,]+ \| [\d.]+× \|/)
      expect(redis).toMatch(/\| one round trip ÷ sequential \| [\d.]+× \| [\d.]+× \|/)
    }

    const sizes = section(stdout, "Bundle size")
    for (const name of [
      "isocache browser file",
      "isocache `{ Cache }`",
      "idb-keyval",
      "idb `{ openDB }`",
      "localforage",
      "dexie",
    ]) {
      expect(sizes).toContain(name)
    }
  }, 240_000)
})
