import { describe, it } from "vitest"
import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import type { StoreKind } from "./raw-storage.js"
import { roundTripRuns } from "./round-trip.js"

const settings = await commands.reliabilitySettings()
const numRuns = settings.full ? 2000 : 100

describe(`random values round-trip exactly or are refused with nothing written, in ${engineLabel}`, () => {
  it.each([
    [`indexeddb-${engine.name}`, "indexeddb"],
    [`memory-${engine.name}`, "memory"],
  ] as Array<[string, StoreKind]>)(
    `%s: ${numRuns} values of fc.anything() and ${numRuns} of fc.jsonValue()`,
    async (label, kind) => {
      const seed = settings.seed ?? Date.now()
      const figures = await roundTripRuns(kind, numRuns, seed)
      await commands.writeReliabilityReport(`round-trip-${label}`, { store: label, seed, ...figures })
    },
    120_000,
  )
})
