import { expect, it } from "vitest"
import { commands } from "vitest/browser"
import { engine } from "../browser/engine.js"
import { rawCount } from "../idb-helpers.js"

// maxEntries on IndexedDB, across tabs: every write transaction evicts what passes the bound before
// it commits, so no commit of any tab leaves more entries than the bound.
// WebKitGTK's driver loses windows when three are opened one after another test after test: two there.
const TABS = engine.name === "webkit" ? 2 : 3

it(`${TABS} tabs writing at once under maxEntries 50 never leave more than 50 entries after any commit`, async () => {
  const name = `bounds-${crypto.randomUUID()}`
  const maxEntries = 50
  let observing = true
  let most = 0
  let reads = 0
  const observer = (async () => {
    while (observing) {
      most = Math.max(most, await rawCount(name))
      reads++
    }
  })()
  const failed = await commands.runInTabs<number>(
    "/test/browser/tab-changes.ts",
    "writeBounded",
    Array.from({ length: TABS }, (_, tab) => [name, tab, TABS, 200, maxEntries]),
  )
  observing = false
  await observer
  expect(failed).toEqual(Array(TABS).fill(0))
  // The three barrier marks count as entries too (each tab wrote its own).
  expect(await rawCount(name)).toBe(maxEntries)
  expect(most, `most entries seen in ${reads} reads`).toBeLessThanOrEqual(maxEntries)
  expect(reads).toBeGreaterThan(10)
  await commands.writeReliabilityReport(`bound-three-tabs-${engine.name}`, {
    maxEntries,
    most,
    reads,
    writes: TABS * 200,
  })
})
