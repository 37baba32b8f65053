import { afterAll } from "vitest"
import { commands } from "vitest/browser"
import { describeIsolation, type IsolationFigures } from "./isolation.js"

const figures: Record<string, IsolationFigures> = {
  "indexeddb-chromium": { names: 0, dangerousCalls: 0, codeStrings: 0 },
  "memory-chromium": { names: 0, dangerousCalls: 0, codeStrings: 0 },
}
describeIsolation("indexeddb (Chromium)", "indexeddb", figures["indexeddb-chromium"] as IsolationFigures)
describeIsolation("memory (Chromium)", "memory", figures["memory-chromium"] as IsolationFigures)
afterAll(() => commands.writeReliabilityReport("isolation-chromium", figures))
