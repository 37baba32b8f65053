// The Firefox and WebKit halves: the same benchmark page and run loop as Chromium's, in Debian's
// Firefox ESR (puppeteer-core over WebDriver BiDi; IndexedDB on the on-disk profile puppeteer creates)
// and WebKitGTK's MiniBrowser (webdriverio through WebKitWebDriver under Xvfb; WebDriver sessions are
// ephemeral, so IndexedDB lives in memory there). Engines are driven through test/engines, loaded
// with Vite's module runner (it is TypeScript).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { runnerImport } from "vite"
import { browserRuns } from "./browser-runs.mjs"
import { buildPage } from "./chromium.mjs"
import { serve } from "./serve.mjs"

const load = (file) =>
  runnerImport(fileURLToPath(new URL(`../../test/engines/${file}`, import.meta.url)), {
    configFile: false,
    logLevel: "warn",
  }).then(({ module }) => module)

// Runs a method of the benchmark page (or reads a property of it).
const callPage = `(method, args) => {
  const member = globalThis.bench[method]
  return typeof member === "function" ? member(...args) : member
}`

/**
 * @param {"firefox" | "webkit"} name
 * @param {{ sizes: object, sweepCount: number, sweepRuns: number, durabilityRuns: number, runs: number, log: (line: string) => void }} options
 */
export async function benchEngine(name, options) {
  const [engines, problems] = await Promise.all([load("index.ts"), load("problems.ts")])
  const missing = engines.missingBinaries(name)
  if (missing) throw new Error(`${name} cannot run: missing ${missing} (apt-get install -y ${engines.packages[name]})`)
  const outDir = mkdtempSync(join(tmpdir(), "isocache-bench-page-"))
  let server = null
  let engine = null
  try {
    await buildPage(outDir)
    // The page records its own console errors and uncaught errors (test/engines/problems.ts).
    const html = join(outDir, "index.html")
    writeFileSync(html, readFileSync(html, "utf8").replace("<head>", `<head>${problems.problemsScript}`))
    server = await serve(outDir)
    engine = await engines.launchEngine(name)
    const tab = await engine.openTab(`${server.url}index.html`)
    await tab.call(
      "() => new Promise((ready) => { const check = () => globalThis.bench ? ready() : setTimeout(check, 10); check() })",
    )
    const userAgent = await tab.call("() => navigator.userAgent")
    const measured = await browserRuns({
      ...options,
      call: (method, ...args) => tab.call(callPage, [method, args]),
      engine: name,
      measureSweep: (run) => run(),
    })
    const seen = await tab.call(problems.readProblems)
    const all = [...seen.console, ...seen.pageErrors, ...seen.unhandledRejections]
    if (all.length) throw new Error(`the benchmark page reported problems:\n${all.join("\n")}`)
    return { version: engine.version, userAgent, ...measured }
  } finally {
    await engine?.close()
    await server?.close()
    rmSync(outDir, { recursive: true, force: true })
  }
}
