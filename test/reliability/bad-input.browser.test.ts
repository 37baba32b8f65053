import { commands } from "vitest/browser"
import { badCalls, describeBadInput } from "./bad-input.js"

const report = (store: string) => (tried: number) =>
  commands.writeReliabilityReport(`bad-input-${store}`, {
    store,
    badCallsListed: badCalls.length,
    badCallsTried: tried,
  })

describeBadInput("indexeddb (Chromium)", "indexeddb", report("indexeddb-chromium"))
describeBadInput("memory (Chromium)", "memory", report("memory-chromium"))
