import { openDB } from "idb"

/** Counts the records in the IndexedDB database of cache `name`, expired ones included. */
export async function rawCount(name: string): Promise<number> {
  const db = await openDB(`isocache:${name}`)
  try {
    return db.objectStoreNames.contains("entries") ? await db.count("entries") : 0
  } finally {
    db.close()
  }
}
