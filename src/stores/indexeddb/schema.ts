import type { StoreEntry } from "../../types.js"

/** The object store that holds the entries, keyed by the compound key `[version, key]`. */
export const ENTRIES = "entries"
/** The index on `expiresAt` through which expired entries are swept. */
export const BY_EXPIRY = "expiresAt"

/**
 * A record as stored: `expiresAt` is absent for entries that never expire, which keeps them out of
 * the expiry index.
 */
export interface StoredRecord {
  value: unknown
  expiresAt?: number
}

export const toRecord = (entry: StoreEntry): StoredRecord =>
  entry.expiresAt === null ? { value: entry.value } : { value: entry.value, expiresAt: entry.expiresAt }

/** Reads a record; one written by another program, or damaged, reads as a miss rather than crash the cache. */
export function toEntry(record: unknown): StoreEntry | undefined {
  if (typeof record !== "object" || record === null || !Object.hasOwn(record, "value")) return undefined
  const { value, expiresAt } = record as StoredRecord
  if (expiresAt !== undefined && (typeof expiresAt !== "number" || Number.isNaN(expiresAt))) return undefined
  return { value, expiresAt: expiresAt ?? null }
}

/** Whether the database has our layout: the entries store with out-of-line keys and the expiry index. */
export function hasLayout(db: IDBDatabase): boolean {
  if (!db.objectStoreNames.contains(ENTRIES)) return false
  const tx = db.transaction(ENTRIES, "readonly")
  const store = tx.objectStore(ENTRIES)
  const ok =
    store.keyPath === null &&
    !store.autoIncrement &&
    store.indexNames.contains(BY_EXPIRY) &&
    store.index(BY_EXPIRY).keyPath === "expiresAt"
  tx.abort()
  return ok
}

/**
 * Creates the layout, or mends one left by another program or an older layout: a cache may lose
 * its entries, but it must never be stuck.
 */
export function upgrade(db: IDBDatabase, tx: IDBTransaction): void {
  if (db.objectStoreNames.contains(ENTRIES)) {
    const store = tx.objectStore(ENTRIES)
    if (store.keyPath === null && !store.autoIncrement) {
      if (store.indexNames.contains(BY_EXPIRY)) store.deleteIndex(BY_EXPIRY)
      store.createIndex(BY_EXPIRY, "expiresAt")
      return
    }
    db.deleteObjectStore(ENTRIES)
  }
  db.createObjectStore(ENTRIES).createIndex(BY_EXPIRY, "expiresAt")
}
