// Storage quota exhausted, on real IndexedDB in each engine that can lower a quota: a fresh origin's
// quota is lowered before it stores anything (Chromium: the DevTools protocol, whose IndexedDB caches
// the space left for 30 s; Firefox: a browser of its own on a profile with a capped temporary
// storage). Each step runs in a tab of that origin; the test page drives them and the quota.
import { describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import { freshSite, inTab } from "./quota-sites.js"
import type { Failure } from "./quota-workloads.js"

const quotaError = { name: "StorageQuotaError", code: "ERR_QUOTA_EXCEEDED", cause: "QuotaExceededError" }
const figures = { faultsInjected: 0, refusedWrites: 0, entriesChecked: 0, entriesLost: 0 }

describe(`storage quota exhausted (${engineLabel})`, () => {
  it("writes fail with StorageQuotaError; earlier entries stay intact; writes succeed again once space is freed", async ({
    skip,
  }) => {
    skip(engine.quotaUnsupported !== null, engine.quotaUnsupported ?? "")
    const site = freshSite("quota")
    const name = "fill"
    const size = 50_000
    await commands.overrideQuota(1_000_000, site)
    figures.faultsInjected++

    const filled = await inTab<{ written: number; failure: Failure | null }>(site, "fillUntilRefused", name, size, 100)
    expect(filled.failure).toMatchObject(quotaError)
    // 1 MB holds some 50 kB entries, not all of them.
    expect(filled.written).toBeGreaterThanOrEqual(5)
    expect(filled.written).toBeLessThanOrEqual(20)
    figures.refusedWrites++

    // Another tab: every entry written before the refusal is intact, and the cache is still full.
    const intact = await inTab<{ intact: number; damaged: string[] }>(site, "checkFill", name, size, 0, filled.written)
    expect(intact).toEqual({ intact: filled.written, damaged: [] })
    expect(await inTab(site, "tryWrite", name, "still-full", size)).toMatchObject(quotaError)
    figures.refusedWrites++

    // Deleting entries frees space: the same write now succeeds.
    const half = Math.ceil(filled.written / 2)
    expect(await inTab(site, "deleteFill", name, 0, half)).toBe(half)
    expect(await inTab(site, "tryWrite", name, "after-delete", size)).toBe("written")

    // Lifting the override: a write far larger than the old quota succeeds, and nothing was lost.
    await commands.overrideQuota(null, site)
    expect(await inTab(site, "tryWrite", name, "after-lift", 2_000_000)).toBe("written")
    const rest = await inTab<{ intact: number; damaged: string[] }>(site, "checkFill", name, size, half, filled.written)
    expect(rest).toEqual({ intact: filled.written - half, damaged: [] })
    figures.entriesChecked += filled.written + (filled.written - half)
    await commands.writeReliabilityReport("quota", {
      ...figures,
      entryBytes: size,
      quotaBytes: 1_000_000,
      written: filled.written,
    })
  }, 60_000)
})
