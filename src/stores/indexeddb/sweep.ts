// The expiry sweep of the IndexedDB store: expired keys found through the expiry index with a key
// cursor, deleted a slice of requests at a time so that the page's thread is never held for long.
import { type ObjectStore, outcome, remove } from "./requests.js"
import { goneBy } from "./schema.js"

/** How many sweep batches one scan of the expiry index finds keys for. */
export const SCAN_BATCHES = 20

/**
 * Requests a sweep issues per task. Their callbacks hold the page's thread: with 25 (and the key
 * cursor of scanKeys), no task of a sweep of 10,000 entries ran longer than ~9 ms in Chromium, the
 * garbage collector's own pauses aside (with 100: ~30 ms).
 */
export const SWEEP_SLICE = 25

/**
 * Deletes the expired `keys`, issuing a slice of requests at a time from the success callback of the
 * slice before (the transaction stays alive meanwhile), so that the page's thread is never held for
 * long. Keys found in this transaction are deleted as they are; with `recheckAt`, keys found in an
 * earlier one are read again and deleted only if still expired then (another call or tab may have
 * written them since). Gives the promises that the last delete is issued (the next job's requests
 * must queue behind it) and that it succeeded, with the count of deletes.
 */
export function deleteExpired(
  store: ObjectStore,
  keys: readonly IDBValidKey[],
  recheckAt: number | null,
): { issued: Promise<void>; result: Promise<number> } {
  let allIssued!: () => void
  const issued = new Promise<void>((resolve) => {
    allIssued = resolve
  })
  const result = new Promise<number>((resolve, reject) => {
    let next = 0
    let deleted = 0
    let lastDelete: IDBRequest | undefined
    const fail = (error: unknown): void => {
      allIssued()
      reject(error)
    }
    const deleteOne = (key: IDBValidKey): IDBRequest => {
      deleted++
      lastDelete = remove(store, key)
      return lastDelete
    }
    // Requests succeed in order: once the last delete has, all have.
    const finish = (): void => {
      allIssued()
      resolve(lastDelete?.readyState === "pending" ? outcome(lastDelete).then(() => deleted) : deleted)
    }
    const issueSlice = (): void => {
      const end = Math.min(keys.length, next + SWEEP_SLICE)
      let last: IDBRequest | undefined
      try {
        for (; next < end; next++) {
          const key = keys[next] as IDBValidKey
          if (recheckAt === null) last = deleteOne(key)
          else {
            const request = store.get(key)
            request.onsuccess = () => {
              if (goneBy(request.result, recheckAt)) deleteOne(key)
            }
            last = request
          }
        }
      } catch (error) {
        fail(error)
        return
      }
      if (recheckAt === null && next === keys.length) allIssued()
      if (!last) {
        finish()
        return
      }
      // After the request's own handler (a re-check may issue its delete there).
      last.addEventListener("success", next < keys.length ? issueSlice : finish)
      last.onerror = () => fail(last.error)
    }
    issueSlice()
  })
  return { issued, result }
}

/**
 * The primary keys of up to `cap` index entries in `range`, read with a key cursor: one short callback
 * per key. (One getAllKeys of 10,000 keys held the page's thread for 12–19 ms in Chromium, turning
 * them all into JavaScript arrays in one callback.)
 */
export function scanKeys(index: IDBIndex, range: IDBKeyRange, cap: number): Promise<IDBValidKey[]> {
  const keys: IDBValidKey[] = []
  const request = index.openKeyCursor(range)
  return new Promise((resolve, reject) => {
    request.onsuccess = () => {
      const cursor = request.result
      if (!cursor || keys.length === cap) return resolve(keys)
      keys.push(cursor.primaryKey)
      cursor.continue()
    }
    request.onerror = () => reject(request.error)
  })
}
