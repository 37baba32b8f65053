import "fake-indexeddb/auto"
import { badCalls, describeBadInput } from "./bad-input.js"
import { writeReport } from "./node-report.js"

const report = (store: string) => (tried: number) =>
  writeReport(`bad-input-${store}`, { store, badCallsListed: badCalls.length, badCallsTried: tried })

describeBadInput("memory", "memory", report("memory"))
describeBadInput("indexeddb (fake-indexeddb)", "indexeddb", report("fake-indexeddb"))
