import { openDB } from "idb"
import { createIndexedDBStore, type IndexedDBStoreOptions, type StoreNamespace } from "../src/index.js"

/** Counts the records in the IndexedDB database of cache `name`, expired ones included. */
export async function rawCount(name: string): Promise<number> {
  const db = await openDB(`isocache:${name}`)
  try {
    return db.objectStoreNames.contains("entries") ? await db.count("entries") : 0
  } finally {
    db.close()
  }
}

/** The namespace `name` of a fresh IndexedDB store (with `options`), opened: for store-level tests. */
export function openIndexedDB(name: string, options: IndexedDBStoreOptions = {}): Promise<StoreNamespace> {
  return createIndexedDBStore(options).open(name, { maxEntries: null })
}
