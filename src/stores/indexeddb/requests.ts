// The requests of the IndexedDB store: issued raw (a promise and two listeners per request, as idb's
// wrapper adds, cost main-thread time that shows on batches of hundreds), how a transaction's end and
// its requests' failures are read, and which transactions may commit early.
import { NotStorableError } from "../../errors.js"
import { holdsBlob } from "../../storable.js"
import type { StoreEntry, StoreKey } from "../../types.js"
import { errorName, refusesBlob } from "./errors.js"
import { ENTRIES, toEntry, toRecord } from "./schema.js"

export type ObjectStore = IDBObjectStore
type Key = IDBValidKey

/**
 * Whether a read-write transaction of several writes may be committed with commit() as soon as its
 * requests are issued (saving a round trip: one-write transactions measured 1.03–1.14× faster with it
 * in Chromium, 1.14× in Firefox, 1.43× in WebKit). The standard aborts a transaction whose request
 * fails, committing or not, and Blink does; but Firefox (153) and WebKit (2.50) commit the other
 * requests of a transaction whose request failed after commit() was called (a put over quota, a
 * refused Blob), and abort() then throws: a torn batch. So only Blink, told apart by
 * `navigator.userAgentData` (Chromium-only), commits several writes early; elsewhere such a
 * transaction commits by itself after its last request, and a failed request aborts it. Read-only
 * transactions and those of a single put cannot tear: they commit early everywhere. (One that only
 * deletes does not, so that its refusal aborts it and is retried: see execute.)
 */
export const commitsEarly = (): boolean =>
  (globalThis as { navigator?: { userAgentData?: unknown } }).navigator?.userAgentData !== undefined

// Settles when the transaction commits; rejects when it aborts, with the error of the first request
// that failed (the transaction's own error otherwise): a batch is judged by every request, not by its
// last one (Firefox reports a quota refusal on the put itself). A failed request aborts its
// transaction at once (see commitsEarly for the engines where that alone is not enough).
export function ended(tx: IDBTransaction): Promise<void> {
  let failed: unknown
  return new Promise((resolve, reject) => {
    // A request's error reaches its transaction (after the request's own handler).
    tx.onerror = (event) => {
      failed ??= (event.target as IDBRequest | null)?.error
      try {
        tx.abort()
      } catch {} // already aborting
    }
    tx.oncomplete = resolve as () => void
    tx.onabort = () => reject(failed ?? tx.error ?? new DOMException("transaction aborted", "AbortError"))
  })
}

// Settles with the request. Requests of one transaction succeed in the order they were issued, and
// a failed one aborts the transaction, failing every later request: once the last request of a
// series succeeds, all of them have.
export const outcome = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })

// Thrown by put() at a value holding a Blob or File before the store knows whether this engine's
// IndexedDB takes them: the transaction is aborted, the store probes (see probeBlobs), and the
// batch goes again.
export const blobsUnknown = Symbol()

// Transactions that issued a put: one that only read and deleted is retried once when refused for
// lack of space (see execute).
export const putTransactions = new WeakSet<IDBTransaction>()

// How many write requests (puts, deletes, clears) each transaction issued: one with a single put
// cannot tear, so it is committed early in every engine (see commitsEarly).
export const writeCounts = new WeakMap<IDBTransaction, number>()
export const wrote = (tx: IDBTransaction): void => {
  writeCounts.set(tx, (writeCounts.get(tx) ?? 0) + 1)
}
export const remove = (store: ObjectStore, key: IDBValidKey): IDBRequest => {
  wrote(store.transaction)
  return store.delete(key)
}

/**
 * Whether this engine's IndexedDB stores Blob values, learnt by putting an empty one alone in a
 * transaction that is then aborted (nothing is written). WebKit refuses them in private and
 * automated sessions, and a refused Blob among other requests leaves the transaction, and every
 * later one on the database, hanging (WebKitGTK 2.50): such values must never reach it.
 */
export function probeBlobs(db: IDBDatabase): Promise<boolean> {
  return new Promise((resolve) => {
    const tx = db.transaction(ENTRIES, "readwrite")
    const request = tx.objectStore(ENTRIES).put({ value: new Blob([]) }, ["\u0000probe", ""])
    request.onsuccess = () => {
      resolve(true)
      tx.abort()
    }
    request.onerror = (event) => {
      event.preventDefault()
      resolve(!refusesBlob(request.error))
    }
    tx.onabort = () => resolve(!refusesBlob(tx.error))
  })
}

export function put(store: ObjectStore, key: StoreKey, entry: StoreEntry, blobs: boolean | undefined): IDBRequest {
  if (blobs !== true && holdsBlob(entry.value)) {
    if (blobs === undefined) throw blobsUnknown
    throw new NotStorableError(key[1], "value", "a Blob or File, which IndexedDB refuses here")
  }
  try {
    const request = store.put(toRecord(entry), key as unknown as Key)
    putTransactions.add(store.transaction)
    wrote(store.transaction)
    return request
  } catch (error) {
    if (errorName(error) === "DataCloneError") {
      // The requests already issued will fail with the transaction, which the caller aborts.
      throw new NotStorableError(key[1], "value", "not cloneable (a proxy?)", { cause: error })
    }
    throw error
  }
}

// Issues every write (a put, or a delete for `null`; `undefined` writes nothing), and settles once the
// last one has succeeded (or one has failed).
export function writeAll(
  store: ObjectStore,
  writes: ReadonlyArray<readonly [StoreKey, StoreEntry | null | undefined]>,
  blobs: boolean | undefined,
): Promise<unknown> {
  let last: IDBRequest | undefined
  for (const [key, entry] of writes)
    if (entry !== undefined) last = entry ? put(store, key, entry, blobs) : remove(store, key as unknown as Key)
  return last ? outcome(last) : Promise.resolve()
}

// Reads every key, and settles once the last read has succeeded (or one has failed).
export const readAll = (store: ObjectStore, keys: readonly StoreKey[]): Promise<Array<StoreEntry | undefined>> =>
  new Promise((resolve, reject) => {
    const entries: Array<StoreEntry | undefined> = []
    const lastIndex = keys.length - 1
    if (lastIndex < 0) resolve(entries)
    keys.forEach((key, i) => {
      const request = store.get(key as unknown as Key)
      request.onsuccess = () => {
        entries[i] = toEntry(request.result)
        if (i === lastIndex) resolve(entries)
      }
      // A failed read fails every later one (see outcome): the last one's error is enough.
      if (i === lastIndex) request.onerror = () => reject(request.error)
    })
  })
