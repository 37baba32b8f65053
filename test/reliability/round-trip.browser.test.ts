import fc from "fast-check"
import { describe, it } from "vitest"
import { commands } from "vitest/browser"
import type { StoreKind } from "./raw-storage.js"
import { anyValue, type RoundTripFigures, roundTripProperty } from "./round-trip.js"

const settings = await commands.reliabilitySettings()
const numRuns = settings.full ? 2000 : 100

describe("random values round-trip exactly or are refused with nothing written, in Chromium", () => {
  it.each([
    ["indexeddb-chromium", "indexeddb"],
    ["memory-chromium", "memory"],
  ] as Array<[string, StoreKind]>)(
    `%s: ${numRuns} values of fc.anything() and ${numRuns} of fc.jsonValue()`,
    async (label, kind) => {
      const figures: RoundTripFigures = { values: 0, roundTripped: 0, refused: 0 }
      const seed = settings.seed ?? Date.now()
      for (const arbitrary of [anyValue, fc.jsonValue()]) {
        const { property, done } = roundTripProperty(kind, arbitrary, figures)
        try {
          await fc.assert(property, { numRuns, seed })
        } finally {
          await done()
        }
      }
      await commands.writeReliabilityReport(`round-trip-${label}`, { store: label, seed, ...figures })
    },
    120_000,
  )
})
