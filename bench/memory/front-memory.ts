// What the memory front holds per entry, in Node's heap: entries read through a front (each a copy of
// the value, the key and the entry around it), measured with the collector run before and after.
import { withMemoryFront } from "../../src/front/index.ts"
import { Cache, createMemoryStore } from "../../src/index.ts"
import { keyOf, makeItem } from "../shared/data.ts"

/** The heap a front holding `entries` ~200-byte items takes, per entry, in bytes. */
export async function frontBytesPerEntry(entries: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("run with --expose-gc")
  const store = createMemoryStore()
  const name = "front-memory"
  const writer = new Cache({ name, store, sweepInterval: null })
  const keys = Array.from({ length: entries }, (_, i) => keyOf(i))
  await writer.setMany(keys.map((key, i) => [key, makeItem(i)] as const))
  const front = withMemoryFront(store, { maxEntries: entries })
  const reader = new Cache({ name, store: front, sweepInterval: null })
  await reader.connect()
  gc()
  const before = process.memoryUsage().heapUsed
  for (let start = 0; start < entries; start += 100) await reader.getMany(keys.slice(start, start + 100))
  gc()
  const after = process.memoryUsage().heapUsed
  if (front.frontSize(name) !== entries) throw new Error(`the front holds ${front.frontSize(name)} of ${entries}`)
  await Promise.all([reader.disconnect(), writer.disconnect()])
  return Math.round((after - before) / entries)
}
