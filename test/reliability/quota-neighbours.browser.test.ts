// The IndexedDB store runs the calls issued in one task in one shared transaction. When the browser
// refuses that transaction's commit for lack of space, each call must end on its own: the store runs
// each of them again in a transaction of its own. A read and a delete then succeed; a small write may
// still be refused (Chromium goes on refusing writes for a moment after a refused commit, which the
// same calls awaited one by one show too), but then with StorageQuotaError and nothing written.
import { expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine } from "../browser/engine.js"
import { freshSite } from "./quota-sites.js"

interface Outcomes {
  outcomes: Record<string, unknown>
  after: Record<string, unknown>
}

async function run(oneByOne: boolean): Promise<Outcomes> {
  const site = freshSite("neighbours")
  await commands.overrideQuota(1_000_000, site)
  const { result, problems } = await commands.runInWatchedTab<Outcomes>(
    "/test/reliability/quota-workloads.ts",
    "neighboursOfRefusedBatch",
    ["neighbours", 30, 50_000, oneByOne],
    site,
  )
  expect(problems).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
  return result
}

it("calls issued with a setMany that the quota refuses each end on their own", async ({ skip }) => {
  skip(engine.quotaUnsupported !== null, engine.quotaUnsupported ?? "")
  const together = await run(false)
  const alone = await run(true)
  for (const { outcomes, after } of [together, alone]) {
    expect(outcomes).toMatchObject({ get: "here", "setMany (past the quota)": "StorageQuotaError", deleteMany: 1 })
    // A refused small write or incr wrote nothing; an accepted one is there.
    expect(outcomes["set (small)"]).toBeOneOf([undefined, "StorageQuotaError"])
    expect(outcomes.incr).toBeOneOf([2, "StorageQuotaError"])
    expect(after).toEqual({
      present: "here",
      n: outcomes.incr === 2 ? 2 : 1,
      ...(outcomes["set (small)"] === undefined ? { small: 1 } : {}),
    })
  }
  await commands.writeReliabilityReport("quota-neighbours", {
    faultsInjected: 2,
    callsPerRun: 5,
    // A set that resolved (to undefined) is dropped from the outcomes on the way out of the tab.
    together: { "set (small)": "resolved", ...together.outcomes },
    alone: { "set (small)": "resolved", ...alone.outcomes },
    entriesChecked: Object.keys(together.after).length + Object.keys(alone.after).length,
    entriesLost: 0,
  })
}, 60_000)
