import "fake-indexeddb/auto"
import { describe, it } from "vitest"
import { seed, settings, writeReport } from "./node-report.js"
import type { StoreKind } from "./raw-storage.js"
import { roundTripRuns } from "./round-trip.js"

const numRuns = settings.full ? 5000 : 300

describe("random values round-trip exactly or are refused with nothing written", () => {
  it.each([
    ["memory", "memory"],
    ["fake-indexeddb", "indexeddb"],
  ] as Array<[string, StoreKind]>)(
    `%s: ${numRuns} values of fc.anything() and ${numRuns} of fc.jsonValue()`,
    async (label, kind) => {
      const runSeed = seed()
      const figures = await roundTripRuns(kind, numRuns, runSeed)
      writeReport(`round-trip-${label}`, { store: label, seed: runSeed, ...figures })
    },
    120_000,
  )
})
