import "fake-indexeddb/auto"
import { afterAll } from "vitest"
import { describeIsolation, type IsolationFigures } from "./isolation.js"
import { writeReport } from "./node-report.js"

const figures: Record<string, IsolationFigures> = {
  memory: { names: 0, dangerousCalls: 0, codeStrings: 0 },
  "fake-indexeddb": { names: 0, dangerousCalls: 0, codeStrings: 0 },
}
describeIsolation("memory", "memory", figures.memory as IsolationFigures)
describeIsolation("indexeddb (fake-indexeddb)", "indexeddb", figures["fake-indexeddb"] as IsolationFigures)
afterAll(() => writeReport("isolation-node", figures))
