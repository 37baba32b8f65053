import { describe, expect, it } from "vitest"
import { createIndexedDBStore, createMemoryStore } from "../../src/index.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"
import { batchingCases } from "./indexeddb-batching.js"

it("runs in real Chromium against native IndexedDB", () => {
  expect(navigator.userAgent).toContain("Chrome")
  expect(Object.prototype.toString.call(indexedDB)).toBe("[object IDBFactory]")
  expect(IDBFactory.toString()).toContain("[native code]")
})

describeConformance("indexeddb (Chromium)", {
  kind: "indexeddb",
  createStore: (name) => createIndexedDBStore({ name }),
  rawCount,
})

describeConformance("memory (Chromium)", {
  kind: "memory",
  createStore: (name) => createMemoryStore({ name }),
  rawCount: async (name) => createMemoryStore({ name }).size,
})

describe("indexeddb store: batching (Chromium)", () => batchingCases())
