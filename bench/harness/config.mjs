// Sizes of each mode, and the Chromium settings.
import { readFileSync } from "node:fs"

// The same binary and flags as test/browser/chromium.ts (a TypeScript file, which Node 20 cannot
// import; the flags live in JSON for both). Never a browser download.
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
export const chromiumArgs = JSON.parse(
  readFileSync(new URL("../../test/browser/chromium-flags.json", import.meta.url), "utf8"),
)

/**
 * The settings of a run. In Chromium one write transaction costs about a millisecond, so the default
 * (N = 2,000, 5 runs) takes a few minutes on 2 cores; `quick` is a smoke run that proves only that
 * everything runs.
 * @param {{ quick: boolean, large: boolean, runs?: number, sweepRuns?: number }} flags
 */
export function settingsFor({ quick, large, runs, sweepRuns }) {
  const n = quick ? 200 : large ? 10_000 : 2_000
  const browserSizes = {
    n,
    concurrent: quick ? 100 : 1_000,
    batch: 100,
    manyItems: quick ? 200 : 1_000,
    incr: quick ? 50 : 1_000,
    mixedOps: quick ? 200 : 1_000,
    callers: 8,
    minTimeMs: 0,
  }
  const allRuns = runs ?? (quick ? 1 : 5)
  return {
    runs: allRuns,
    browserSizes,
    sweepCount: quick ? 1_000 : 10_000,
    // The sweep (isocache only, no ratio to take): filling and sweeping 10,000 entries takes ~8 s here,
    // so three runs measure it unless told otherwise, which keeps the default run near 5 minutes.
    sweepRuns: Math.min(allRuns, sweepRuns ?? 3),
    // The durability variants of isocache (a ratio to isocache itself, on the write workloads) likewise.
    durabilityRuns: Math.min(allRuns, 3),
    // In Node one pass of a workload takes milliseconds: repeat it until it has run this long.
    nodeSizes: { ...browserSizes, minTimeMs: quick ? 5 : 60 },
    // Redis: every operation is a round trip to a local redis-server (~0.1–0.5 ms), so the sequential
    // workloads are halved (N = 1,000 even with --large) to keep the part under a minute.
    redisSizes: { ...browserSizes, n: quick ? 200 : 1_000, incr: quick ? 50 : 500, minTimeMs: quick ? 5 : 100 },
  }
}
