import { afterAll } from "vitest"
import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import { describeIsolation, type IsolationFigures } from "./isolation.js"

const figures: Record<string, IsolationFigures> = {
  [`indexeddb-${engine.name}`]: { names: 0, dangerousCalls: 0, codeStrings: 0 },
  [`memory-${engine.name}`]: { names: 0, dangerousCalls: 0, codeStrings: 0 },
}
describeIsolation(`indexeddb (${engineLabel})`, "indexeddb", figures[`indexeddb-${engine.name}`] as IsolationFigures)
describeIsolation(`memory (${engineLabel})`, "memory", figures[`memory-${engine.name}`] as IsolationFigures)
afterAll(() => commands.writeReliabilityReport(`isolation-${engine.name}`, figures))
