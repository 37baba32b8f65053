import { describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import { withMemoryFront } from "../../src/front/index.js"
import { createIndexedDBStore } from "../../src/index.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"
import { engine, engineLabel } from "./engine.js"
import type { FrontRun } from "./tab-front.js"

describeConformance(`memory front on indexeddb (${engineLabel})`, {
  kind: "indexeddb",
  createStore: () => withMemoryFront(createIndexedDBStore()),
  makeStore: () => withMemoryFront(createIndexedDBStore()),
  rawCount,
})

describeConformance(`frozen memory front on indexeddb (${engineLabel})`, {
  kind: "indexeddb",
  createStore: () => withMemoryFront(createIndexedDBStore(), { frozen: true }),
  makeStore: () => withMemoryFront(createIndexedDBStore(), { frozen: true }),
  rawCount,
  sharesFrozenValues: true,
})

// WebKitGTK's driver loses windows when three are opened one after another test after test: two there.
const TABS = engine.name === "webkit" ? 2 : 3

describe("memory front across tabs", () => {
  it(`${TABS} tabs with a front agree with the model at every read of their own keys, and with the store at every quiet point`, async () => {
    const name = `front-${crypto.randomUUID()}`
    const runs = await commands.runInTabs<FrontRun>(
      "/test/browser/tab-front.ts",
      "frontAgainstModel",
      Array.from({ length: TABS }, (_, tab) => [name, tab, TABS, 4, 60]),
    )
    for (const run of runs) {
      expect(run.modelMismatches).toEqual([])
      expect(run.storeMismatches).toEqual([])
      expect(run.compared).toBeGreaterThan(100)
      expect(run.frontSize).toBeLessThanOrEqual(6)
    }
    await commands.writeReliabilityReport(`front-model-${engine.name}`, {
      tabs: TABS,
      compared: runs.map((run) => run.compared),
      mismatches: runs.map((run) => run.modelMismatches.length + run.storeMismatches.length),
    })
  })
})
