// Storage quota exhausted, on real IndexedDB in Chromium: the browser's quota for a fresh origin is
// overridden through the DevTools protocol (Storage.overrideQuotaForOrigin), before that origin
// stores anything (Chromium's IndexedDB caches the space left for 30 s). Each step runs in a tab of
// that origin; the test page drives them and the quota.
import { afterEach, describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import type { Failure } from "./quota-workloads.js"

const workloads = "/test/reliability/quota-workloads.ts"
const sites: string[] = []
const freshSite = (prefix: string): string => {
  const site = `${prefix}-${crypto.randomUUID()}`
  sites.push(site)
  return site
}
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => commands.overrideQuota(null, site)))
})

/** Runs a workload in a new tab of `site`, and fails on anything the tab wrote to its console or left unhandled. */
async function inTab<T>(site: string, exportName: string, ...args: unknown[]): Promise<T> {
  const { result, problems } = await commands.runInWatchedTab<T>(workloads, exportName, args, site)
  expect(problems, `${exportName} in ${site}`).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
  return result
}

const quotaError = { name: "StorageQuotaError", code: "ERR_QUOTA_EXCEEDED", cause: "QuotaExceededError" }
const figures = { faultsInjected: 0, refusedWrites: 0, entriesChecked: 0, entriesLost: 0 }

describe("storage quota exhausted (Chromium, DevTools quota override)", () => {
  it("writes fail with StorageQuotaError; earlier entries stay intact; writes succeed again once space is freed", async () => {
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
