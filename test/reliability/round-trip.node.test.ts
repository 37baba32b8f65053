import "fake-indexeddb/auto"
import fc from "fast-check"
import { describe, it } from "vitest"
import { seed, settings, writeReport } from "./node-report.js"
import type { StoreKind } from "./raw-storage.js"
import { anyValue, type RoundTripFigures, roundTripProperty } from "./round-trip.js"

const numRuns = settings.full ? 5000 : 300

describe("random values round-trip exactly or are refused with nothing written", () => {
  it.each([
    ["memory", "memory"],
    ["fake-indexeddb", "indexeddb"],
  ] as Array<[string, StoreKind]>)(
    `%s: ${numRuns} values of fc.anything() and ${numRuns} of fc.jsonValue()`,
    async (label, kind) => {
      const figures: RoundTripFigures = { values: 0, roundTripped: 0, refused: 0 }
      const runSeed = seed()
      for (const arbitrary of [anyValue, fc.jsonValue()]) {
        const { property, done } = roundTripProperty(kind, arbitrary, figures)
        try {
          await fc.assert(property, { numRuns, seed: runSeed })
        } finally {
          await done()
        }
      }
      writeReport(`round-trip-${label}`, { store: label, seed: runSeed, ...figures })
    },
    120_000,
  )
})
