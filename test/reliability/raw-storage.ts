// What a cache name holds in storage, read underneath the library: every raw IndexedDB record (expired
// ones and the expiry field included), or every slot of the process-wide memory store.
// Comparing two snapshots proves a call changed nothing at all.
import { openDB } from "idb"
import { processMemoryStore, rawSlots } from "../../src/stores/memory.js"

export type StoreKind = "memory" | "indexeddb"

/** One stored record: its storage key and the record as stored. */
export type RawRecord = readonly [key: unknown, record: unknown]

async function idbRecords(name: string): Promise<RawRecord[]> {
  const db = await openDB(`isocache:${name}`)
  try {
    if (!db.objectStoreNames.contains("entries")) return []
    const tx = db.transaction("entries")
    const [keys, records] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done])
    return keys.map((key, i) => [key, records[i]] as const)
  } finally {
    db.close()
  }
}

function memoryRecords(name: string): RawRecord[] {
  // A deep copy, so that a later change made in place could not go unnoticed.
  return structuredClone([...rawSlots(processMemoryStore(), name)])
}

/** Every record of cache `name`, in storage order. */
export async function rawRecords(kind: StoreKind, name: string): Promise<RawRecord[]> {
  return kind === "indexeddb" ? idbRecords(name) : memoryRecords(name)
}
