import { commands } from "vitest/browser"
import { engine, engineLabel } from "../browser/engine.js"
import { badCalls, describeBadInput } from "./bad-input.js"

const report = (store: string) => (tried: number) =>
  commands.writeReliabilityReport(`bad-input-${store}`, {
    store,
    badCallsListed: badCalls.length,
    badCallsTried: tried,
  })

describeBadInput(`indexeddb (${engineLabel})`, "indexeddb", report(`indexeddb-${engine.name}`))
describeBadInput(`memory (${engineLabel})`, "memory", report(`memory-${engine.name}`))
