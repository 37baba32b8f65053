// A transaction aborted in the middle of setMany/deleteMany, on real IndexedDB in each engine that
// can lower a quota. The real way used here: a batch whose entries each fit the quota but together do
// not. The browser refuses the transaction with QuotaExceededError and rolls it back (shown with a
// bare IndexedDB transaction below). Another tab then sees all of each call or none.
import { expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine } from "../browser/engine.js"
import { freshSite, inTab } from "./quota-sites.js"
import type { Failure } from "./quota-workloads.js"

it("setMany and deleteMany aborted mid-transaction (quota refused at commit): another tab sees all or nothing", async ({
  skip,
}) => {
  skip(engine.quotaUnsupported !== null, engine.quotaUnsupported ?? "")
  const site = freshSite("batch")
  const [count, size, seeded] = [30, 50_000, 20]
  await commands.overrideQuota(1_000_000, site)

  const calls = await inTab<{
    single: Failure | "written"
    setMany: Failure | "resolved"
    deleteMany: Failure | number
  }>(site, "batchPastQuota", "batch", count, size, seeded)
  // One entry fits; the batch of them does not, and is refused as a whole.
  expect(calls.single).toBe("written")
  expect(calls.setMany).toMatchObject({ name: "StorageQuotaError", code: "ERR_QUOTA_EXCEEDED" })

  const seen = await inTab<{ big: number; old: number; single: boolean }>(
    site,
    "seenAfterBatch",
    "batch",
    count,
    seeded,
  )
  expect(seen.big).toBe(0)
  expect(seen.single).toBe(true)
  // The deleteMany issued with it either committed whole or (if it shared the refused transaction)
  // was refused whole: never some of its keys.
  if (typeof calls.deleteMany === "number") expect([calls.deleteMany, seen.old]).toEqual([seeded, 0])
  else {
    expect(calls.deleteMany).toMatchObject({ name: "StorageQuotaError" })
    expect(seen.old).toBe(seeded)
  }

  // Where the browser refuses such a batch: a bare transaction of the same puts runs every one of
  // them, then its commit is refused and the transaction aborted.
  const raw = await inTab<{ putsSucceeded: number; outcome: string }>(
    site,
    "rawBatchPastQuota",
    "raw-probe",
    count,
    size,
  )
  expect(raw).toEqual({ putsSucceeded: count, outcome: "aborted: QuotaExceededError" })
  await commands.writeReliabilityReport("aborted-batch", {
    faultsInjected: 2,
    rawPutsBeforeAbort: raw.putsSucceeded,
    setManyEntries: count,
    entriesVisibleAfterAbort: seen.big,
    deleteMany: typeof calls.deleteMany === "number" ? "committed whole" : "refused whole",
    oldEntriesLeft: seen.old,
  })
}, 60_000)
