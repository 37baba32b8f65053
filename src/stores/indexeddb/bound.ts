// Evictions: to keep a name's bound (maxEntries), in the write transaction that would pass it (if it
// fails, nothing was evicted), and to make room for a write refused for lack of space. The entries
// past their removal time (expired, and past any stale window) go first, then the least recently
// written, through the expiry and write indexes.
import { ended, type ObjectStore, outcome, remove } from "./requests.js"
import { BY_EXPIRY, BY_WRITE, ENTRIES } from "./schema.js"

/** Evicted records, kept to be put back: `[key, record]` pairs. */
export type Evicted = Array<[IDBValidKey, unknown]>

// Deletes up to `limit` keys of an index range (reading each record first into `kept`, if given);
// resolves to how many were deleted once issued.
async function evict(
  store: ObjectStore,
  index: string,
  range: IDBKeyRange | null,
  limit: number,
  kept?: Evicted,
): Promise<number> {
  const keys = await outcome(store.index(index).getAllKeys(range, limit))
  for (const key of keys) {
    if (kept) outcome(store.get(key)).then((record) => kept.push([key, record]))
    remove(store, key)
  }
  return keys.length
}

/**
 * Evicts `count` entries (or fewer, if the store holds fewer): those gone at `now` first, then the
 * least recently written. Resolves once the deletes are issued.
 */
export async function evictEntries(
  store: ObjectStore,
  count: number,
  now: number,
  KeyRange: typeof IDBKeyRange,
  kept?: Evicted,
): Promise<void> {
  const gone = count > 0 ? await evict(store, BY_EXPIRY, KeyRange.upperBound(now), count, kept) : 0
  if (count > gone) await evict(store, BY_WRITE, null, count - gone, kept)
}

/** Evicts what the store holds past `maxEntries` after this transaction's writes. */
export async function keepBound(
  store: ObjectStore,
  maxEntries: number,
  now: number,
  KeyRange: typeof IDBKeyRange,
): Promise<void> {
  await evictEntries(store, (await outcome(store.count())) - maxEntries, now, KeyRange)
}

/**
 * Makes room for a write the browser refused for lack of space, in a transaction of its own (Chromium
 * counts a transaction's puts against the space left before its own deletes): evicts a tenth of the
 * entries (at least 10), gone ones first, then the least recently written. Resolves to what it
 * evicted, so that it can be put back if the write is refused all the same.
 */
export async function makeRoom(db: IDBDatabase, now: number, KeyRange: typeof IDBKeyRange): Promise<Evicted> {
  const tx = db.transaction(ENTRIES, "readwrite")
  const store = tx.objectStore(ENTRIES)
  const kept: Evicted = []
  outcome(store.count()).then((count) => evictEntries(store, Math.max(10, Math.ceil(count / 10)), now, KeyRange, kept))
  return ended(tx).then(() => kept)
}

/** Puts back what {@link makeRoom} evicted, as it was. */
export async function putBack(db: IDBDatabase, evicted: Evicted): Promise<void> {
  const tx = db.transaction(ENTRIES, "readwrite")
  const store = tx.objectStore(ENTRIES)
  for (const [key, record] of evicted) store.put(record, key)
  return ended(tx)
}
