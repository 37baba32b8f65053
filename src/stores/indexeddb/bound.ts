// Evictions that keep a name's bound (maxEntries), in the write transaction that would pass it: the
// entries past their removal time (expired, and past any stale window) go first, then the least
// recently written, through the expiry and write indexes. If the transaction fails, nothing was evicted.
import { type ObjectStore, outcome, remove } from "./requests.js"
import { BY_EXPIRY, BY_WRITE } from "./schema.js"

// Deletes up to `limit` keys of an index range, gone first; resolves to how many were deleted once issued.
async function evict(store: ObjectStore, index: string, range: IDBKeyRange | null, limit: number): Promise<number> {
  const keys = await outcome(store.index(index).getAllKeys(range, limit))
  for (const key of keys) remove(store, key)
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
): Promise<void> {
  const gone = count > 0 ? await evict(store, BY_EXPIRY, KeyRange.upperBound(now), count) : 0
  if (count > gone) await evict(store, BY_WRITE, null, count - gone)
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
