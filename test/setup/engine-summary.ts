// A Vitest reporter that ends a run with one result line per engine (and per Node environment):
// passed, failed, and not applicable with each reason. A test skipped without a reason is listed as
// such, so that nothing is skipped silently.
import type { Reporter, TestModule } from "vitest/node"

interface Tally {
  passed: number
  failed: number
  skipped: string[]
}

/** The engine (or environment) a project runs in: the e2e projects are `e2e-<engine>`. */
const groupOf = (project: string): string => project.replace(/^e2e-/, "").replace(/ \(.*\)$/, "")

export default class EngineSummary implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies = new Map<string, Tally>()
    for (const module of testModules) {
      const group = groupOf(module.project.name)
      const tally = tallies.get(group) ?? { passed: 0, failed: 0, skipped: [] }
      tallies.set(group, tally)
      for (const test of module.children.allTests()) {
        const result = test.result()
        if (result.state === "passed") tally.passed++
        else if (result.state === "failed") tally.failed++
        else if (result.state === "skipped") {
          const where = `${module.moduleId.replace(`${process.cwd()}/`, "")} > ${test.fullName}`
          tally.skipped.push(`${where}: ${result.note ?? "SKIPPED WITHOUT A REASON"}`)
        }
      }
      if (module.state() === "failed" && module.children.size === 0) tally.failed++ // failed to load
    }
    const order = ["node", "happy-dom", "chromium", "firefox", "webkit"]
    const rank = (group: string): number => (order.includes(group) ? order.indexOf(group) : order.length)
    const groups = [...tallies.keys()].sort((a, b) => rank(a) - rank(b))
    console.log("\nResults per engine:")
    for (const group of groups) {
      const { passed, failed, skipped } = tallies.get(group) as Tally
      console.log(`  ${group}: ${passed} passed, ${failed} failed, ${skipped.length} not applicable`)
      for (const line of skipped) console.log(`      not applicable: ${line}`)
    }
  }
}
