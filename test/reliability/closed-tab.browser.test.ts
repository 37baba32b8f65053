// A tab closed while 1,000 setMany calls (and 200 deleteMany) are in flight: the browser aborts the
// transactions the tab had not committed. The surviving tab must see every batch whole or not at
// all, and every call the closed tab saw succeed.
import { expect, it } from "vitest"
import { commands } from "vitest/browser"
import { Cache } from "../../src/index.js"
import { newKeys, oldKeys } from "./closing-tab-workload.js"

const settings = await commands.reliabilitySettings()
const [batches, size, oldBatches, closeAt] = [settings.full ? 5000 : 1000, 10, 200, 100]

it(`a tab closed with up to ${batches.toLocaleString("en")} setMany and ${oldBatches} deleteMany in flight leaves only whole batches`, async () => {
  const name = `closed-${crypto.randomUUID()}`
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
  try {
    for (let b = 0; b < oldBatches; b++)
      await cache.setMany(oldKeys(b, size).map((key, k) => [key, { old: b, k }] as const))

    const report = await commands.closeTabDuring<{
      issued: number
      committed: number[]
      deleted: number[]
      failed: string[]
    }>("/test/reliability/closing-tab-workload.ts", "startBatches", [name, batches, size, oldBatches], closeAt)
    expect(report.failed).toEqual([])
    expect(report.committed.length).toBeGreaterThanOrEqual(closeAt)

    // Everything the closed tab wrote, read in one transaction by this tab.
    const all = Array.from({ length: batches }, (_, b) => newKeys(b, size)).flat()
    const old = Array.from({ length: oldBatches }, (_, b) => oldKeys(b, size)).flat()
    const seen = await cache.getMany([...all, ...old])
    const count = (keys: string[]): number => keys.filter((key) => Object.hasOwn(seen, key)).length

    const outcome = { complete: [] as number[], absent: [] as number[], torn: [] as number[] }
    for (let b = 0; b < batches; b++) {
      const found = count(newKeys(b, size))
      ;(found === size ? outcome.complete : found === 0 ? outcome.absent : outcome.torn).push(b)
      if (found === size) {
        for (const [k, key] of newKeys(b, size).entries()) expect(seen[key]).toEqual({ batch: b, k })
      }
    }
    const deletes = { done: [] as number[], undone: [] as number[], torn: [] as number[] }
    for (let b = 0; b < oldBatches; b++) {
      const found = count(oldKeys(b, size))
      ;(found === 0 ? deletes.done : found === size ? deletes.undone : deletes.torn).push(b)
    }
    expect(outcome.torn).toEqual([])
    expect(deletes.torn).toEqual([])
    // Nothing the closed tab saw committed is lost…
    expect(report.committed.filter((b) => !outcome.complete.includes(b))).toEqual([])
    expect(report.deleted.filter((b) => !deletes.done.includes(b))).toEqual([])
    // …and the close did cut writes short (else this test would prove nothing).
    expect(outcome.absent.length).toBeGreaterThan(0)

    // The cache of this name keeps working.
    await cache.set("after", 1)
    expect(await cache.incr("after")).toBe(2)
    await commands.writeReliabilityReport("closed-tab", {
      faultsInjected: 1,
      setManyIssued: batches,
      issuedBeforeClose: report.issued,
      entriesPerBatch: size,
      committedSeenByClosedTab: report.committed.length,
      batchesComplete: outcome.complete.length,
      batchesAbsent: outcome.absent.length,
      batchesTorn: outcome.torn.length,
      deleteManyIssued: oldBatches,
      deletesDone: deletes.done.length,
      deletesUndone: deletes.undone.length,
      deletesTorn: deletes.torn.length,
      entriesLost: 0,
    })
  } finally {
    await cache.clear()
    await cache.disconnect()
  }
}, 120_000)
