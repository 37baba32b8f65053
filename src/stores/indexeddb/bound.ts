// Evictions: to keep a name's bound (maxEntries), in the write transaction that would pass it (if it
// fails, nothing was evicted), and to make room for a write refused for lack of space. The entries
// past their removal time (expired, and past any stale window) go first, then the least recently
// written, through the expiry and write indexes.
import { ended, type ObjectStore, outcome, remove } from "./requests.js"
import { BY_EXPIRY, BY_WRITE, ENTRIES } from "./schema.js"

/** Evicted records, kept to be put back: `[key, record]` pairs. */
export type Evicted = Array<[IDBValidKey, unknown]>

/**
 * Counts the entries, then evicts `toEvict(count)` of them: those in `gone` (the expiry index's range
 * of the entries gone now) first, then the least recently written (reading each record first into
 * `kept`, if given). The count and `limit` keys of each index are asked for together, in one round
 * trip; more to evict goes on in rounds. Resolves once the deletes are issued.
 */
async function evict(
  store: ObjectStore,
  toEvict: (count: number) => number,
  gone: IDBKeyRange,
  limit: number,
  kept?: Evicted,
): Promise<void> {
  const count = store.count()
  const expired = store.index(BY_EXPIRY).getAllKeys(gone, limit)
  // Once the last request has succeeded, the earlier ones have (see outcome).
  const oldest = await outcome(store.index(BY_WRITE).getAllKeys(null, limit))
  const excess = toEvict(count.result)
  // Gone entries first; the least recently written only when none is gone (the next round takes them
  // after the gone ones, which may be among them).
  const victims = (expired.result.length ? expired.result : oldest).slice(0, excess)
  for (const key of victims) {
    if (kept) outcome(store.get(key)).then((record) => kept.push([key, record]))
    remove(store, key)
  }
  const left = excess - victims.length
  // The next round's count and keys come after these deletes.
  if (left > 0 && victims.length) await evict(store, () => left, gone, left, kept)
}

/**
 * Evicts what the store holds past `maxEntries` after this transaction's `added` writes: every write
 * keeps the bound, so one round trip is enough unless the store was past it already (another tab's
 * larger bound, a bound lowered).
 */
export const keepBound = (store: ObjectStore, maxEntries: number, gone: IDBKeyRange, added: number): Promise<void> =>
  evict(store, (count) => count - maxEntries, gone, added)

// Runs a write transaction of its own (`run` issues its requests) and resolves to `run`'s value once
// it commits. One refused is tried again after a pause, up to `tries` times in all: Firefox refuses
// the first write transaction after a refusal whatever it holds, and Chromium refuses every write
// while it still counts a refused one's large values (measured: for over 45 s, until a transaction
// commits).
function writeAlone<T>(db: IDBDatabase, run: (store: ObjectStore) => T, tries = 2): Promise<T> {
  const attempt = async (done: number): Promise<T> => {
    try {
      const tx = db.transaction(ENTRIES, "readwrite")
      const value = run(tx.objectStore(ENTRIES))
      await ended(tx)
      return value
    } catch (error) {
      if (done + 1 >= tries) throw error
      // Chromium goes on counting what a refused write asked for (its large values, written aside)
      // until a later transaction commits: one that needs no space, a delete of a key no entry has
      // (entries have compound keys), lets it go. A refusal of this one too is the next try's concern.
      await writeAlone(db, (store) => store.delete(0), 1).catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 50 * (done + 1)))
      return attempt(done + 1)
    }
  }
  return attempt(0)
}

/**
 * Makes room for a write the browser refused for lack of space, in a transaction of its own (Chromium
 * counts a transaction's puts against the space left before its own deletes): evicts a tenth of the
 * entries (at least 10), gone ones first, then the least recently written. Resolves to what it
 * evicted, so that it can be put back if the write is refused all the same.
 */
export const makeRoom = (db: IDBDatabase, gone: IDBKeyRange): Promise<Evicted> =>
  writeAlone(db, (store) => {
    const kept: Evicted = []
    evict(store, (count) => Math.max(10, Math.ceil(count / 10)), gone, 10, kept)
    return kept
  })

/**
 * Puts back what {@link makeRoom} evicted, as it was: the space it takes was just freed, so this is
 * tried until it goes (up to 8 times, over some 1.8 s).
 */
export const putBack = (db: IDBDatabase, evicted: Evicted): Promise<void> =>
  writeAlone(
    db,
    (store) => {
      for (const [key, record] of evicted) store.put(record, key)
    },
    8,
  )
