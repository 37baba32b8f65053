// Reads the cache's IndexedDB database directly, the way the library lays it out: object store
// `entries`, primary key [version, key] (version "" = unversioned), records { value, expiresAt? }.
import { openDB } from "idb"

/** One record of the database, as stored (expired or not). */
export interface StoredEntry {
  readonly version: string
  readonly key: string
  readonly value: unknown
  /** Epoch milliseconds, or `null` for never. */
  readonly expiresAt: number | null
}

async function databaseExists(name: string): Promise<boolean> {
  // Opening a database that does not exist would create it empty; indexedDB.databases() tells first.
  if (typeof indexedDB.databases !== "function") return true
  return (await indexedDB.databases()).some((info) => info.name === name)
}

function toEntry(key: unknown, record: unknown): StoredEntry | null {
  if (!Array.isArray(key) || typeof key[0] !== "string" || typeof key[1] !== "string") return null
  if (typeof record !== "object" || record === null || !("value" in record)) return null
  const { expiresAt } = record as { expiresAt?: unknown }
  return {
    version: key[0],
    key: key[1],
    value: record.value,
    expiresAt: typeof expiresAt === "number" ? expiresAt : null,
  }
}

/**
 * Every record of the database, in one read-only transaction. The connection is opened for this read
 * only and gives way at once if the cache needs to upgrade the database, so it never blocks the cache.
 */
export async function readDatabase(name: string): Promise<StoredEntry[]> {
  if (!(await databaseExists(name))) return []
  const db = await openDB(name, undefined, {
    blocking(_current, _blocked, event) {
      ;(event.target as IDBDatabase).close()
    },
  })
  try {
    if (!db.objectStoreNames.contains("entries")) return []
    const tx = db.transaction("entries", "readonly")
    const [keys, records] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done])
    return keys.flatMap((key, i) => toEntry(key, records[i]) ?? [])
  } finally {
    db.close()
  }
}
