import { describe, expect, it } from "vitest"
import { createIndexedDBStore } from "../../src/index.js"
import { processMemoryStore } from "../../src/stores/memory.js"
import { engine, engineLabel } from "../browser/engine.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"
import { batchingCases } from "./indexeddb-batching.js"

it(`runs in real ${engineLabel} against native IndexedDB`, () => {
  const userAgent = {
    chromium: /Chrome\//,
    firefox: /Gecko\/\d+ Firefox\//,
    webkit: /AppleWebKit\/[\d.]+ \(KHTML, like Gecko\) Version\/[\d.]+ Safari/,
  }
  expect(navigator.userAgent).toMatch(userAgent[engine.name])
  expect(Object.prototype.toString.call(indexedDB)).toBe("[object IDBFactory]")
  expect(IDBFactory.toString()).toContain("[native code]")
})

describeConformance(`indexeddb (${engineLabel})`, {
  kind: "indexeddb",
  createStore: () => createIndexedDBStore(),
  rawCount,
})

describeConformance(`memory (${engineLabel})`, {
  kind: "memory",
  createStore: () => processMemoryStore(),
  rawCount: async (name) => processMemoryStore().size(name),
})

describe(`indexeddb store: batching (${engineLabel})`, () => batchingCases())
