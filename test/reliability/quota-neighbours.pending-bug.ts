// PENDING BUG (reported to the lead; not run by `npm test`: no include glob matches this name).
// Run it with:
//   cp test/reliability/quota-neighbours.pending-bug.ts test/reliability/quota-neighbours.browser.test.ts
//   npx vitest run --project chromium test/reliability/quota-neighbours; rm test/reliability/quota-neighbours.browser.test.ts
//
// The IndexedDB store runs the calls issued in one task in one shared transaction. When the browser
// refuses that transaction's commit for lack of space, every call of it rejects with
// StorageQuotaError: a get, a small set that fits, an incr and a deleteMany fail because of a
// neighbouring setMany. The store's own doc says each call "still succeeds or fails on its own", and
// the README documents no StorageQuotaError for get (nor one transaction shared between calls).
import { afterEach, expect, it } from "vitest"
import { commands } from "vitest/browser"

const site = `neighbours-${crypto.randomUUID()}`
afterEach(() => commands.overrideQuota(null, site))

it("calls issued with a setMany that the quota refuses each succeed or fail on their own", async () => {
  await commands.overrideQuota(1_000_000, site)
  const { result, problems } = await commands.runInWatchedTab<{
    outcomes: Record<string, unknown>
    after: Record<string, unknown>
  }>("/test/reliability/quota-workloads.ts", "neighboursOfRefusedBatch", ["neighbours", 30, 50_000], site)
  expect(problems).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
  expect(result.outcomes).toEqual({
    get: "here",
    "setMany (past the quota)": "StorageQuotaError",
    "set (small)": undefined,
    incr: 2,
    deleteMany: 1,
  })
  expect(result.after).toEqual({ present: "here", small: 1, n: 2 })
}, 60_000)
