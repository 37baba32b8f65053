import { removalTime, type StoreEntry } from "../../types.js"

/** The object store that holds the entries, keyed by the compound key `[version, key]`. */
export const ENTRIES = "entries"
/** The index on `expiresAt` through which expired entries are swept. */
export const BY_EXPIRY = "expiresAt"
/** The index on `written`, the order of writes, through which a bound evicts the least recently written. */
export const BY_WRITE = "written"

// The last write stamp of this realm: wall-clock milliseconds, kept strictly increasing.
let lastStamp = 0

/**
 * A record as stored: `expiresAt`, the time the sweep removes it (its expiry, or the end of its stale
 * windows), is absent for entries that never expire, which keeps them out of the expiry index. An
 * entry with stale windows also holds its own expiry and windows in `stale`.
 */
export interface StoredRecord {
  value: unknown
  /** When it was written (epoch ms, strictly increasing within a tab): the eviction order. */
  written: number
  expiresAt?: number
  stale?: { expiresAt: number; whileRevalidate: number; ifError: number }
}

export function toRecord(entry: StoreEntry): StoredRecord {
  const { value, expiresAt, stale } = entry
  lastStamp = Math.max(Date.now(), lastStamp + 0.001)
  const record: StoredRecord = { value, written: lastStamp }
  if (expiresAt !== null) {
    record.expiresAt = removalTime(entry) as number
    if (stale) record.stale = { expiresAt, whileRevalidate: stale.whileRevalidate, ifError: stale.ifError }
  }
  return record
}

const isTime = (value: unknown): value is number => typeof value === "number" && !Number.isNaN(value)

/** Reads a record; one written by another program, or damaged, reads as a miss rather than crash the cache. */
export function toEntry(record: unknown): StoreEntry | undefined {
  if (typeof record !== "object" || record === null || !Object.hasOwn(record, "value")) return undefined
  const { value, expiresAt, stale } = record as StoredRecord
  if (expiresAt !== undefined && !isTime(expiresAt)) return undefined
  if (stale === undefined) return { value, expiresAt: expiresAt ?? null }
  if (!isTime(stale?.expiresAt) || !isTime(stale.whileRevalidate) || !isTime(stale.ifError)) return undefined
  return {
    value,
    expiresAt: stale.expiresAt,
    stale: { whileRevalidate: stale.whileRevalidate, ifError: stale.ifError },
  }
}

/** Whether the sweep may delete a record at `time`: its indexed `expiresAt` is past (none for a foreign record). */
export const goneBy = (record: unknown, time: number): boolean => {
  const removal = (record as StoredRecord | undefined)?.expiresAt
  return typeof removal === "number" && removal <= time
}

const INDEXES = [BY_EXPIRY, BY_WRITE]

// Whether the entries store keys its records out of line, as ours does.
const outOfLine = (store: IDBObjectStore): boolean => store.keyPath === null && !store.autoIncrement

/** Whether the database has our layout: the entries store with out-of-line keys and both indexes. */
export function hasLayout(db: IDBDatabase): boolean {
  if (!db.objectStoreNames.contains(ENTRIES)) return false
  const tx = db.transaction(ENTRIES, "readonly")
  const store = tx.objectStore(ENTRIES)
  const ok =
    outOfLine(store) && INDEXES.every((name) => store.indexNames.contains(name) && store.index(name).keyPath === name)
  tx.abort()
  return ok
}

/**
 * Creates the layout, or mends one left by another program or an older layout: a cache may lose
 * its entries, but it must never be stuck.
 */
export function upgrade(db: IDBDatabase, tx: IDBTransaction): void {
  let store = db.objectStoreNames.contains(ENTRIES) ? tx.objectStore(ENTRIES) : undefined
  if (!store || !outOfLine(store)) {
    if (store) db.deleteObjectStore(ENTRIES)
    store = db.createObjectStore(ENTRIES)
  }
  for (const name of INDEXES) {
    if (store.indexNames.contains(name)) store.deleteIndex(name)
    store.createIndex(name, name)
  }
}
