// `npm test`: every check of the project, in order, ending with one plain line "N passed, M failed".
// Lint, types and the build run first (a failure there stops the run); then Vitest runs every project,
// the browser ones in Chromium, Firefox ESR and WebKitGTK (Debian's), and prints a line per engine.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { missingBinaries, packages } from "../test/engines/binaries.mjs"

const engineNames = ["chromium", "firefox", "webkit"]

const ci = process.env.CI === "true" || process.env.CI === "1"
const results = ".vitest-results.json"

function step(title, command, args) {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`)
  const { status } = spawnSync(command, args, { stdio: "inherit" })
  if (status !== 0) {
    console.log(`\n✖ ${title} failed`)
    console.log("0 passed, 1 failed")
    process.exit(status ?? 1)
  }
}

step("lint and format", "npx", ["biome", "check", "."])
step("type-check the library", "npx", ["tsc", "-p", "tsconfig.json"])
step("type-check tests and type tests", "npx", ["tsc", "-p", "tsconfig.test.json"])
step("API reference: every export documented, no broken link", "npx", ["typedoc", "--emit", "none"])
step("build", "npm", ["run", "--silent", "build"])

const projects = ["node", "happy-dom"]
// The browser projects (see vite.config.ts): the library's browser tests in each engine, and the
// Node-side end-to-end tests (demo, script tag, benchmark smoke run) driving that engine. An engine
// whose binaries are missing is skipped with a loud warning, except under CI=true, where it fails
// the run.
const missing = []
for (const engine of engineNames) {
  const lacks = missingBinaries(engine)
  if (lacks === null) projects.push(engine, `e2e-${engine}`)
  else missing.push(`${engine} (missing ${lacks}; install: apt-get install -y ${packages[engine]})`)
}
if (missing.length > 0 && ci) {
  console.error(`\n✖ CI=true but these engines cannot run:\n  ${missing.join("\n  ")}`)
  console.log("0 passed, 1 failed")
  process.exit(1)
} else if (missing.length > 0) {
  const line = "!".repeat(78)
  console.warn(`\n${line}\n!! SKIPPING the browser tests of:\n!!   ${missing.join("\n!!   ")}\n${line}\n`)
}

rmSync(results, { force: true })
const vitest = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=./test/setup/engine-summary.ts",
    "--reporter=json",
    `--outputFile.json=${results}`,
  ],
  { stdio: "inherit" },
)
let passed = 0
let failed = vitest.status === 0 ? 0 : 1
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, "utf8"))
  passed = report.numPassedTests
  failed = report.numFailedTests + (report.success || report.numFailedTests ? 0 : 1)
  rmSync(results, { force: true })
}
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(vitest.status === 0 && passed > 0 ? 0 : 1)
