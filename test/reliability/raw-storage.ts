// What a cache name holds in storage, read underneath the library: every raw IndexedDB record (expired
// ones and the expiry field included), or every slot of the memory store's process-wide registry.
// Comparing two snapshots proves a call changed nothing at all.
import { openDB } from "idb"

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
  const registry = (globalThis as Record<symbol, Map<string, Map<string, unknown>> | undefined>)[
    Symbol.for("isocache.memory-registry")
  ]
  // A deep copy, so that a later change made in place could not go unnoticed.
  return structuredClone([...(registry?.get(name) ?? new Map<string, unknown>())])
}

/** Every record of cache `name`, in storage order. */
export async function rawRecords(kind: StoreKind, name: string): Promise<RawRecord[]> {
  return kind === "indexeddb" ? idbRecords(name) : memoryRecords(name)
}
