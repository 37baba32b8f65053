// Storage quota exhausted, on real IndexedDB in each engine that can lower a quota: a fresh origin's
// quota is lowered before it stores anything (Chromium: the DevTools protocol, whose IndexedDB caches
// the space left for 30 s; Firefox: a browser of its own on a profile with a capped temporary
// storage). Each step runs in a tab of that origin; the test page drives them and the quota.
import { describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import { freshSite, inTab } from "./quota-sites.js"

const quotaError = { name: "StorageQuotaError", code: "ERR_QUOTA_EXCEEDED", cause: "QuotaExceededError" }
const figures = { faultsInjected: 0, refusedWrites: 0, entriesChecked: 0, entriesLost: 0 }

describe(`storage quota exhausted (${engineLabel})`, () => {
  it("a write refused for lack of space makes room (the least recently written go) and succeeds; one past the whole quota fails and evicts nothing", async ({
    skip,
  }) => {
    skip(engine.quotaUnsupported !== null, engine.quotaUnsupported ?? "")
    const site = freshSite("quota")
    const name = "fill"
    const size = 50_000
    const count = 40
    await commands.overrideQuota(1_000_000, site)
    figures.faultsInjected++

    // 40 entries of 50 kB do not fit in 1 MB: each refused write makes room and goes through.
    expect(await inTab(site, "fillUntilRefused", name, size, count)).toEqual({ written: count, failure: null })
    const kept = await inTab<{ present: number[]; damaged: string[] }>(site, "survivors", name, size, count)
    expect(kept.damaged).toEqual([])
    // The oldest went: what is left is the newest run, the last write included.
    const first = kept.present[0] as number
    expect(kept.present).toEqual(Array.from({ length: count - first }, (_, i) => first + i))
    expect(kept.present.length).toBeGreaterThanOrEqual(5)
    expect(kept.present.length).toBeLessThan(count)

    // A write larger than the whole quota: refused, and what was evicted for it is back.
    expect(await inTab(site, "tryWrite", name, "huge", 2_000_000)).toMatchObject(quotaError)
    figures.refusedWrites++
    expect(await inTab(site, "survivors", name, size, count)).toEqual(kept)

    // Lifting the override: a write far larger than the old quota succeeds, and nothing was lost.
    await commands.overrideQuota(null, site)
    expect(await inTab(site, "tryWrite", name, "after-lift", 2_000_000)).toBe("written")
    expect(await inTab(site, "survivors", name, size, count)).toEqual(kept)
    figures.entriesChecked += 3 * kept.present.length
    await commands.writeReliabilityReport("quota", {
      ...figures,
      entryBytes: size,
      quotaBytes: 1_000_000,
      written: count,
      kept: kept.present.length,
    })
  }, 60_000)
})
