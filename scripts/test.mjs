// `npm test`: every check of the project, in order, ending with one plain line "N passed, M failed".
// Lint, types and the build run first (a failure there stops the run); then Vitest runs every project.
// The Chromium project needs Debian's /usr/bin/chromium: without it the run warns loudly and skips
// only that project, except under CI=true, where a missing Chromium fails the run.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"

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
step("build", "npm", ["run", "--silent", "build"])

const projects = ["node", "happy-dom"]
// The projects that need Chromium (see vite.config.ts): the library in the browser, and the
// Playwright-driven end-to-end tests (demo, script tag, benchmark smoke run).
const browserProjects = ["chromium", "e2e"]
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
if (existsSync(chromium)) projects.push(...browserProjects)
else if (ci) {
  console.error(`\n✖ CI=true but Chromium is missing at ${chromium}: the browser tests cannot run.`)
  console.log("0 passed, 1 failed")
  process.exit(1)
} else {
  const line = "!".repeat(78)
  console.warn(
    `\n${line}\n!! Chromium not found at ${chromium}: SKIPPING the browser tests.\n!! Install it: apt-get install -y chromium\n${line}\n`,
  )
}

rmSync(results, { force: true })
const vitest = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
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
