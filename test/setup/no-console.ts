// Fails any test that writes to the console without expecting it (tests that expect a warning
// replace console.warn with a spy, which this wrapper never sees).
import { afterEach, expect } from "vitest"

const methods = ["log", "info", "warn", "error", "debug"] as const
const written: string[] = []
for (const method of methods) {
  const original = console[method].bind(console)
  console[method] = (...args: unknown[]) => {
    written.push(`console.${method}: ${args.map(String).join(" ")}`)
    original(...args)
  }
}

afterEach(() => {
  const stray = written.splice(0)
  expect(stray, "stray console output").toEqual([])
})
