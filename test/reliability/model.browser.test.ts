// The model-based test in real Chromium: a smaller run on native IndexedDB (and on the memory store,
// which in a page clones with the browser's structuredClone). A failure prints fast-check's seed
// and path: replay it with RELIABILITY_SEED=<seed>.
import fc from "fast-check"
import { describe, it } from "vitest"
import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import { dropDatabase, dropMemory } from "./databases.js"
import { emptyFigures, type ModelTarget, modelProperty } from "./model.js"

const settings = await commands.reliabilitySettings()
const maxSteps = 20

const targets: Array<[string, ModelTarget, number]> = [
  [`indexeddb (${engineLabel})`, { store: "indexeddb", dispose: dropDatabase }, settings.full ? 500 : 40],
  [`memory (${engineLabel})`, { store: "memory", dispose: dropMemory }, settings.full ? 500 : 60],
]

describe(`the stores agree with the model of the spec, in ${engineLabel}`, () => {
  it.each(targets)(
    `%s: random sequences of up to ${maxSteps} calls`,
    async (label, target, numRuns) => {
      const figures = emptyFigures()
      const seed = settings.seed ?? Date.now() ^ Math.floor(Math.random() * 0x7fffffff)
      await fc.assert(modelProperty(target, maxSteps, figures), { numRuns, seed })
      await commands.writeReliabilityReport(`model-${label.split(" ")[0]}-${engine.name}`, {
        store: label,
        seed,
        numRuns,
        maxSteps,
        ...figures,
      })
    },
    300_000,
  )
})
