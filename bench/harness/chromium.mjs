// The Chromium half: builds the benchmark page with Vite, serves it on localhost, and drives it in
// Debian's headless Chromium with an on-disk profile (real IndexedDB, as a user's browser has).
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright"
import { build } from "vite"
import { chromiumArgs, chromiumPath } from "./config.mjs"
import { serve } from "./serve.mjs"
import { traceTasks } from "./trace.mjs"

const pageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "page")

async function buildPage(outDir) {
  await build({
    configFile: false,
    root: pageDir,
    base: "./",
    logLevel: "warn",
    // Unminified so that an error in the page has a readable stack; speed is the same.
    build: { outDir, emptyOutDir: true, minify: false, target: "es2022", reportCompressedSize: false },
  })
}

/**
 * @param {{ sizes: object, sweepCount: number, sweepRuns: number, durabilityRuns: number, runs: number, log: (line: string) => void }} options
 */
export async function benchChromium({ sizes, sweepCount, sweepRuns, durabilityRuns, runs, log }) {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    )
  }
  const outDir = mkdtempSync(join(tmpdir(), "isocache-bench-page-"))
  const profile = mkdtempSync(join(tmpdir(), "isocache-bench-profile-"))
  let server = null
  let context = null
  try {
    await buildPage(outDir)
    server = await serve(outDir)
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      // gc() between workloads, so that one library's garbage is not collected on another's time.
      args: [...chromiumArgs, "--js-flags=--expose-gc"],
    })
    const page = context.pages()[0] ?? (await context.newPage())
    const problems = []
    page.on("pageerror", (error) => problems.push(String(error)))
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text())
    })
    await page.goto(`${server.url}index.html`)
    await page.waitForFunction(() => globalThis.bench !== undefined)

    const version = context.browser()?.version() ?? "unknown"
    const userAgent = await page.evaluate(() => navigator.userAgent)
    const peers = await page.evaluate(() => globalThis.bench.peers)
    const workloads = await page.evaluate((s) => globalThis.bench.describe(s), sizes)
    const call = (method, ...args) => page.evaluate(([m, a]) => globalThis.bench[m](...a), [method, args])
    // Opens a store per peer, runs every workload across the peers (order rotated by `shift`; without
    // the `skipped` ones), closes.
    const run = async (runSizes, id, shift, onWorkload, skipped = () => false) => {
      const samples = Object.fromEntries(peers.map((p) => [p, {}]))
      await call("start", runSizes, id)
      for (const [w, { id: wid, label }] of workloads.entries()) {
        const order = peers.map((_, i) => peers[(i + shift + w) % peers.length]).filter((p) => !skipped(p))
        const started = Date.now()
        const got = await call("workload", wid, order)
        for (const [name, sample] of Object.entries(got)) samples[name][wid] = sample
        onWorkload?.(label, (Date.now() - started) / 1000)
      }
      await call("finish")
      return samples
    }

    // One unrecorded run at small sizes: the first peer must not pay for the JIT.
    await run({ ...sizes, n: 100, concurrent: 50, manyItems: 100, incr: 20, mixedOps: 100 }, "warmup", 0)
    log("  chromium warm-up done")
    const notes = await call("notes")
    const results = []
    const sweeps = []
    for (let r = 0; r < runs; r++) {
      const samples = await run(
        sizes,
        `run${r}`,
        r,
        (label, seconds) => log(`  chromium run ${r + 1}/${runs}: ${label} (${seconds.toFixed(1)} s)`),
        // The durability variants ("isocache, default" and "isocache, strict") run in the first runs only.
        (peer) => r >= durabilityRuns && peer.startsWith("isocache, "),
      )
      results.push({ samples })
      if (r >= sweepRuns) continue
      const trace = await traceTasks(context, page)
      const sweep = await call("runSweep", sweepCount, `run${r}`)
      const longestTask = await trace.stop()
      const during = longestTask("isocache:sweep-start", "isocache:sweep-end")
      sweeps.push({
        ...sweep,
        longestTaskMs: during.longest,
        longestTaskWithoutGcMs: during.withoutGc,
        idleTaskMs: longestTask("isocache:idle-start", "isocache:idle-end").longest,
      })
      log(`  chromium run ${r + 1}/${runs}: isocache sweep of ${sweepCount} (${sweeps.at(-1).ms.toFixed(0)} ms)`)
    }
    if (problems.length) throw new Error(`the benchmark page reported problems:\n${problems.join("\n")}`)
    return { version, userAgent, peers, workloads, notes, runs: results, sweeps }
  } finally {
    await context?.close()
    await server?.close()
    rmSync(outDir, { recursive: true, force: true })
    rmSync(profile, { recursive: true, force: true })
  }
}
