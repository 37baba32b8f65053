// The IndexedDB store runs the calls issued in one task in one shared transaction. When the browser
// refuses that transaction's commit for lack of space, every call must end as it would have ended on
// its own: the same calls, each awaited before the next, on a fresh origin with the same quota, are
// the control. (Chromium may go on refusing small writes for a while after a refused commit: that is
// the browser's doing, and the control shows it too.)
import { afterEach, expect, it } from "vitest"
import { commands } from "vitest/browser"

const sites: string[] = []
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => commands.overrideQuota(null, site)))
})

interface Outcomes {
  outcomes: Record<string, unknown>
  after: Record<string, unknown>
}

async function run(oneByOne: boolean): Promise<Outcomes> {
  const site = `neighbours-${crypto.randomUUID()}`
  sites.push(site)
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

it("calls issued with a setMany that the quota refuses each end as they would on their own", async () => {
  const together = await run(false)
  const alone = await run(true)
  expect(together.outcomes).toMatchObject({
    get: "here",
    "setMany (past the quota)": "StorageQuotaError",
    deleteMany: 1,
  })
  expect(together).toEqual(alone)
}, 60_000)
