// A batch is all or nothing in every engine: setMany({ a, big, c }) where `big` alone is past a 4 MiB
// origin quota fails with StorageQuotaError and writes nothing. Firefox commits the other puts of a
// transaction whose put failed over quota once commit() was called; the store aborts the transaction
// itself at the first failed request (the bare transaction below shows what the engine does alone).
import { expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine } from "../browser/engine.js"
import { freshSite, inTab } from "./quota-sites.js"
import type { Failure } from "./quota-workloads.js"

it("setMany({ a, big, c }) past a 4 MiB quota: StorageQuotaError, nothing written, the cache usable after", async ({
  skip,
}) => {
  skip(engine.quotaUnsupported !== null, engine.quotaUnsupported ?? "")
  const site = freshSite("torn")
  await commands.overrideQuota(4 * 1024 * 1024, site)
  const big = 6 * 1024 * 1024
  const outcome = await inTab<{ failure: Failure | "resolved"; seen: string[]; before: unknown; after: unknown }>(
    site,
    "setManyPastQuota",
    "torn",
    big,
  )
  expect(outcome).toEqual({
    failure: expect.objectContaining({ name: "StorageQuotaError", code: "ERR_QUOTA_EXCEEDED" }),
    seen: [],
    before: "kept",
    after: "written",
  })
  const raw = await inTab<{ requests: string[]; outcome: string; left: string[] }>(
    site,
    "rawSetManyPastQuota",
    "torn-raw",
    big,
  )
  // What the engine itself does with the bare transaction (Firefox: a and c committed), for the report.
  await commands.writeReliabilityReport(`torn-batch-${engine.name}`, { quotaBytes: 4 * 1024 * 1024, big, raw })
}, 60_000)
