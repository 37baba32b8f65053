// The custom store of docs/custom-store.md, proven by the conformance suite in one line.
import { readFileSync } from "node:fs"
import { expect, it } from "vitest"
import { describeConformance } from "../conformance/index.js"
import { createMapStore } from "./map-store.js"

const store = createMapStore()
describeConformance("a custom store (docs/custom-store.md)", {
  kind: "map",
  createStore: () => store,
  makeStore: () => store,
  rawCount: async (name) => store.size(name),
})

it("docs/custom-store.md shows this very store", () => {
  const code = readFileSync(new URL("./map-store.ts", import.meta.url), "utf8")
  const doc = readFileSync(new URL("../../docs/custom-store.md", import.meta.url), "utf8")
  expect(doc).toContain(code.replace('from "../../src/index.js"', 'from "isocache"').trim())
})
