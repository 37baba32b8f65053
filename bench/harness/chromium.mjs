// The Chromium half: builds the benchmark page with Vite, serves it on localhost, and drives it in
// Debian's headless Chromium with an on-disk profile (real IndexedDB, as a user's browser has).
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright"
import { build } from "vite"
import { browserRuns } from "./browser-runs.mjs"
import { chromiumArgs, chromiumPath } from "./config.mjs"
import { serve } from "./serve.mjs"
import { traceTasks } from "./trace.mjs"

const pageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "page")

export async function buildPage(outDir) {
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
export async function benchChromium(options) {
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
    const call = (method, ...args) =>
      page.evaluate(
        ([m, a]) => {
          const member = globalThis.bench[m]
          return typeof member === "function" ? member(...a) : member
        },
        [method, args],
      )
    const measured = await browserRuns({
      ...options,
      call,
      engine: "chromium",
      async measureSweep(run) {
        const trace = await traceTasks(context, page)
        const sweep = await run()
        const longestTask = await trace.stop()
        const during = longestTask("isocache:sweep-start", "isocache:sweep-end")
        return {
          ...sweep,
          longestTaskMs: during.longest,
          longestTaskWithoutGcMs: during.withoutGc,
          idleTaskMs: longestTask("isocache:idle-start", "isocache:idle-end").longest,
        }
      },
    })
    if (problems.length) throw new Error(`the benchmark page reported problems:\n${problems.join("\n")}`)
    return { version, userAgent, ...measured }
  } finally {
    await context?.close()
    await server?.close()
    rmSync(outDir, { recursive: true, force: true })
    rmSync(profile, { recursive: true, force: true })
  }
}
