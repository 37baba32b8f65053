// Model-based tests in Node, on every `npm test`: random call sequences on the memory store and on
// IndexedDB (fake-indexeddb) must agree with the model of the spec after every step. A failure
// prints fast-check's seed and path: replay it with RELIABILITY_SEED=<seed>.
import "fake-indexeddb/auto"
import fc from "fast-check"
import { describe, it } from "vitest"
import { dropDatabase, dropMemory } from "./databases.js"
import { emptyFigures, type ModelTarget, modelProperty } from "./model.js"
import { seed, settings, writeReport } from "./node-report.js"

const numRuns = settings.full ? 2000 : 150
const maxSteps = 30

const targets: Array<[string, ModelTarget]> = [
  ["memory", { store: "memory", dispose: dropMemory }],
  ["fake-indexeddb", { store: "indexeddb", dispose: dropDatabase }],
]

describe("the stores agree with the model of the spec", () => {
  it.each(targets)(
    `%s: ${numRuns} random sequences of up to ${maxSteps} calls (3 caches, 2 names, clock jumps)`,
    async (label, target) => {
      const figures = emptyFigures()
      const runSeed = seed()
      await fc.assert(modelProperty(target, maxSteps, figures), { numRuns, seed: runSeed })
      writeReport(`model-${label}`, { store: label, seed: runSeed, numRuns, maxSteps, ...figures })
    },
    600_000,
  )
})
