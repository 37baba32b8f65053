import { CacheError, NotStorableError, StoreUnavailableError } from "../../errors.js"
import type { Store, StoreEntry, StoreKey, StoreNamespace, StoreUpdate } from "../../types.js"
import { boundDiffers, checkFactoryOptions } from "../../validate.js"
import { keepBound, makeRoom, putBack } from "./bound.js"
import { createConnection } from "./connection.js"
import { lostConnection, overQuota, toCacheError } from "./errors.js"
import {
  blobsUnknown,
  commitsEarly,
  ended,
  outcome,
  probeBlobs,
  putTransactions,
  readAll,
  writeAll,
  writeCounts,
  wrote,
} from "./requests.js"
import { BY_EXPIRY, ENTRIES, toEntry } from "./schema.js"
import { deleteExpired, SCAN_BATCHES, scanKeys } from "./sweep.js"
import { sharedWithTabs } from "./tabs.js"

/**
 * An IndexedDB factory: the browser's `indexedDB`, or one such as fake-indexeddb's. Typed by shape,
 * so that the declarations compile without the DOM library (in a Node-only project).
 */
export interface IDBFactoryLike {
  /** Opens (or creates) a database: `indexedDB.open`. */
  open(name: string, version?: number): unknown
  /** Deletes a database: `indexedDB.deleteDatabase`. */
  deleteDatabase(name: string): unknown
}

/** The `IDBKeyRange` class of an IndexedDB implementation, typed by shape as {@link IDBFactoryLike}. */
export interface IDBKeyRangeLike {
  /** `IDBKeyRange.bound`. */
  bound(lower: unknown, upper: unknown, lowerOpen?: boolean, upperOpen?: boolean): unknown
  /** `IDBKeyRange.upperBound`. */
  upperBound(upper: unknown, open?: boolean): unknown
}

/** Options of {@link createIndexedDBStore}. */
export interface IndexedDBStoreOptions {
  /**
   * The IndexedDB factory to use, e.g. a fresh `fake-indexeddb` one in tests. The `IDB*` classes
   * of the same implementation must be globals (as `fake-indexeddb/auto` makes them).
   * @defaultValue `globalThis.indexedDB`, read when the store opens
   */
  readonly indexedDB?: IDBFactoryLike
  /**
   * The `IDBKeyRange` class that goes with `indexedDB`. Bounds, sweeps and `entries()` need it: where
   * there is none (given or global), the store fails to open with `StoreUnavailableError`.
   * @defaultValue `globalThis.IDBKeyRange`
   */
  readonly IDBKeyRange?: IDBKeyRangeLike
  /**
   * Milliseconds to wait for the database to open before failing with `StoreUnavailableError`: an
   * open can wait forever behind another tab's blocked upgrade (or a browser bug), and a cache must
   * not hang the page. An open blocked by another tab's connection fails at once.
   * @defaultValue `10_000`
   */
  readonly openTimeout?: number
  /**
   * The durability hint of write transactions. A cache can lose its last writes in a power cut (it
   * is a cache), so isocache asks for `"relaxed"` in every browser: the commit does not wait for the
   * disk to flush. In Chromium `"default"` measured the same on single writes (and up to ~20% faster
   * on 1,000 writes in one transaction), and `"strict"` made one-write transactions 1.4–1.7× slower
   * (see the README's Durability decision).
   * @defaultValue `"relaxed"`
   */
  readonly durability?: "default" | "relaxed" | "strict"
}

/** A store backed by IndexedDB. */
export interface IndexedDBStore extends Store {
  readonly kind: "indexeddb"
  /** The name of the IndexedDB database that holds the entries of cache name `name`. */
  databaseName(name: string): string
}

/** The IndexedDB database of a cache name: `isocache:<name>`. */
const databaseNameOf = (name: string): string => `isocache:${name}`

const storeOptions = ["indexedDB", "IDBKeyRange", "openTimeout", "durability"]

type ObjectStore = IDBObjectStore

/**
 * One store call waiting for the next transaction. `start` issues its requests on the transaction's
 * object store and returns its `result`; a job that must read before it can write (an update, a
 * sweep) also returns `issued`, which settles once its last request is issued, so that the next
 * job's requests queue behind its writes. `start` throws (or `issued` rejects) with a
 * NotStorableError only when a value cannot be written: the transaction is then aborted, that job
 * fails, and the others go again in a new transaction.
 */
interface Job {
  readonly writes: boolean
  start(store: ObjectStore): { readonly issued?: Promise<void>; readonly result: Promise<unknown> }
  settled?: boolean
  resolve(value: unknown): void
  reject(error: unknown): void
}

/**
 * Creates a store backed by IndexedDB: one database per cache name (`isocache:<name>`), one object
 * store keyed by the compound key `[version, key]`, and an index on the expiry time through which
 * expired entries are swept. The store takes no name: each cache opens its own name on it.
 *
 * Calls issued in the same task share one transaction, in issue order (a read-only one when they
 * all only read), while each call still succeeds or fails on its own; a read-modify-write runs its
 * read, decision and write inside that transaction with nothing but IndexedDB awaited, so no update
 * is lost, even across tabs. The connection closes when another tab needs to upgrade or delete the
 * database, and when the browser closes it the next transaction reopens it and retries once.
 *
 * @param options - an `indexedDB` factory to use instead of the global one, `openTimeout`, `durability`
 * @returns the store, to pass as the `store` option of a {@link Cache}
 * @throws InvalidArgumentError for an unknown option (`name` included: the cache's name picks its database)
 * @example
 * ```ts
 * const cache = new Cache({ name: "api", store: createIndexedDBStore({ durability: "strict" }) })
 * ```
 */
export function createIndexedDBStore(options: IndexedDBStoreOptions = {}): IndexedDBStore {
  checkFactoryOptions("createIndexedDBStore", options, storeOptions)
  return {
    kind: "indexeddb",
    databaseName: databaseNameOf,
    async open(name, { maxEntries, now = Date.now }) {
      const databaseName = databaseNameOf(name)
      // The open caches of a name in this realm share one bound (each tab keeps the bound its caches give).
      const kept = realmBounds.get(databaseName)
      const bound = maxEntries ?? kept?.bound ?? null
      if (kept && bound !== kept.bound) throw boundDiffers(maxEntries, kept.bound, name)
      const shared = bound === null ? null : (kept ?? { bound, users: 0 })
      const namespace = await openNamespace(databaseName, options, bound, now, () => {
        if (shared && !--shared.users) realmBounds.delete(databaseName)
      })
      if (shared) {
        shared.users++
        realmBounds.set(databaseName, shared)
      }
      return namespace
    },
  }
}

// The bound of each database that the open caches of this realm keep, and how many they are.
const realmBounds = new Map<string, { readonly bound: number; users: number }>()

/** Opens the connection to one cache name's database, then gives the operations on it. */
async function openNamespace(
  databaseName: string,
  options: IndexedDBStoreOptions,
  maxEntries: number | null,
  now: () => number,
  closed: () => void,
): Promise<StoreNamespace> {
  const durability = options.durability ?? "relaxed"
  // The origin's databases: caches of one name on one IndexedDB share their entries.
  const backend = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB
  const connection = createConnection(databaseName, backend as IDBFactory | undefined, options.openTimeout ?? 10_000)
  // Bounds, sweeps, room made for a refused write and list need key ranges: without them the store
  // does not open (rather than keep no bound). Without IndexedDB, the connection says so.
  const KeyRange = (options.IDBKeyRange ??
    (globalThis as { IDBKeyRange?: IDBKeyRangeLike }).IDBKeyRange) as typeof IDBKeyRange
  if (backend && !KeyRange) throw new StoreUnavailableError(`IndexedDB "${databaseName}": no IDBKeyRange here`)

  // Whether this engine's IndexedDB takes Blob and File values: probed on the first write of one.
  let blobSupport: boolean | undefined

  const fail = toCacheError(databaseName)
  const pending = (jobs: Job[]): Job[] => jobs.filter((job) => !job.settled)

  // Runs the jobs in one transaction and settles each; throws only when the transaction as a whole
  // failed (then no job was settled, and none of their writes happened). A transaction refused for
  // lack of space is tried once more before the refusal is reported: Firefox refuses the first write
  // transaction after a refusal even when it only deletes (the next one succeeds; deleting is how
  // space is freed, so that one goes again at once); and Chromium goes on counting a refused write's
  // large values until a later transaction commits (see writeAlone in bound.ts).
  const execute = async (db: IDBDatabase, jobs: Job[], retried = false): Promise<void> => {
    const writes = jobs.some((job) => job.writes)
    const tx = db.transaction(ENTRIES, writes ? "readwrite" : "readonly", { durability })
    try {
      const done = ended(tx)
      done.catch(() => {}) // observed below; this keeps an early failure from being reported as unhandled
      const store = tx.objectStore(ENTRIES)
      const results: Array<Promise<unknown>> = []
      for (const job of jobs) {
        try {
          const { issued, result } = job.start(store)
          result.catch(() => {})
          results.push(result)
          // The transaction's end wins the race when it aborted (see below).
          if (issued) await Promise.race([issued, done])
        } catch (error) {
          if (!(error instanceof NotStorableError)) throw error
          tx.abort()
          await done.catch(() => {})
          job.settled = true
          job.reject(error)
          return execute(db, pending(jobs))
        }
      }
      if (writes && maxEntries !== null)
        await Promise.race([keepBound(store, maxEntries, KeyRange.upperBound(now()), writeCounts.get(tx) ?? 1), done])
      // Every request is issued: committing now saves the round trip in which the browser would learn
      // that no more are coming (Chromium: one-write transactions ~1.4× faster). A transaction that
      // already ended on its own refuses; that is fine. See commitsEarly for why not every write.
      if (!writes || commitsEarly() || (writeCounts.get(tx) === 1 && putTransactions.has(tx)))
        try {
          tx.commit?.()
        } catch {}
      // When the browser refuses a commit asked for (the quota), Chromium aborts the transaction
      // without firing the events of the requests still pending: the transaction's end is awaited too,
      // and an abort fails the batch as a whole.
      const all = Promise.allSettled(results)
      await Promise.race([all, done])
      const outcomes = await all
      const settle = (outcome: PromiseSettledResult<unknown>, i: number): void => {
        const job = jobs[i] as Job
        if (job.settled) return
        job.settled = true
        if (outcome.status === "fulfilled") job.resolve(outcome.value)
        else job.reject(fail(outcome.reason))
      }
      // What a read-only transaction read stays true whatever becomes of it: no need to wait for its
      // end. A read in a read-write one may have seen a write that the commit then loses.
      if (!writes) {
        outcomes.forEach((outcome, i) => {
          if (outcome.status === "fulfilled") settle(outcome, i)
        })
      }
      await done
      outcomes.forEach(settle)
    } catch (error) {
      if (error === blobsUnknown) {
        try {
          tx.abort()
        } catch {} // aborted already
        blobSupport = await probeBlobs(db)
        return execute(db, pending(jobs), retried)
      }
      if (retried || !overQuota(error)) throw error
      const rest = pending(jobs)
      if (!putTransactions.has(tx)) return execute(db, rest, true)
      // Room is made, then the write tried again; if it is refused all the same, the evicted entries
      // go back, and the call fails having changed nothing (both go again once if refused: see
      // makeRoom).
      const evicted = await makeRoom(db, KeyRange.upperBound(now()))
      try {
        await execute(db, rest, true)
      } catch (again) {
        if (evicted.length) await putBack(db, evicted)
        // Firefox may refuse the retry differently (a closing connection): the quota is the cause.
        throw overQuota(again) ? again : error
      }
    }
  }

  // Runs a batch; if the connection turns out to be dead, reopens it and retries once (`first`). If
  // the shared transaction failed as a whole for another reason (the quota refusing its commit, say),
  // nothing of it was written: each call goes again in a transaction of its own, in order, so that
  // only the call at fault fails and its neighbours succeed or fail on their own.
  const runBatch = async (jobs: Job[], first = true): Promise<void> => {
    let db: IDBDatabase | undefined
    try {
      db = await connection.get()
      await execute(db, pending(jobs))
    } catch (error) {
      const rest = pending(jobs)
      const dead = db !== undefined && (lostConnection(error) || connection.lost.has(db))
      if (dead && first && !(error instanceof CacheError)) {
        connection.drop(db as IDBDatabase)
        return runBatch(rest, false)
      }
      if (!dead && db && rest.length > 1) for (const job of rest) await runBatch([job])
      else for (const job of rest) job.reject(fail(error))
    }
  }

  // Expired keys found by the last scan of the expiry index and not deleted yet. A sweep scans for up
  // to SCAN_BATCHES batches at once, rather than once per batch: in Chromium a scan that starts again
  // after deletes is slow to step past the entries just deleted, which made a sweep of 10,000 entries
  // three to five times slower (one scan per 500 or per 2,000 keys, against one per 10,000). Batches
  // from an earlier scan re-check each key.
  let candidates: IDBValidKey[] = []
  // Whether the last scan stopped at its cap (more expired keys may be left beyond it).
  let scanFull = false

  const queue: Job[] = []
  // Batches whose transaction has not ended yet (a read may have settled its calls before): close()
  // waits for them, so that a closed store blocks no other tab's upgrade or delete.
  const inFlight = new Set<Promise<void>>()
  const flush = (): void => {
    const batch = runBatch(queue.splice(0)).finally(() => inFlight.delete(batch))
    inFlight.add(batch)
  }
  // Calls issued in the same task land in one batch: the first queued schedules the flush, which
  // runs after the current microtasks.
  const enqueue = <T>(writes: boolean, start: Job["start"]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.push({ writes, start, resolve: resolve as (value: unknown) => void, reject }) === 1)
        queueMicrotask(flush)
    })

  await connection.get()
  return {
    ...sharedWithTabs(databaseName),
    backend,
    async close() {
      closed()
      await null // lets a batch of calls issued in this task start first
      await Promise.allSettled(inFlight)
      return connection.close()
    },
    getMany(keys) {
      return enqueue(false, (store) => ({ result: readAll(store, keys) }))
    },
    setMany(entries) {
      return enqueue(true, (store) => ({ result: writeAll(store, entries, blobSupport) }))
    },
    update<R>(keys: readonly StoreKey[], fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>) {
      return enqueue<R>(true, (store) => {
        // Set once `issued` has settled: what fn threw, or the writes' success with fn's result.
        let result!: Promise<R>
        // Only IndexedDB requests are awaited here: anything else would let the transaction commit.
        const issued = readAll(store, keys).then((current) => {
          let outcome: StoreUpdate<R>
          try {
            outcome = fn(current)
          } catch (error) {
            result = Promise.reject(error)
            return
          }
          const writes = keys.map((key, i) => [key, outcome.writes[i]] as const)
          result = writeAll(store, writes, blobSupport).then(() => outcome.result)
        })
        return { issued, result: issued.then(() => result) }
      })
    },
    list(version) {
      // Every [version, key] with a string key: an array sorts after every string.
      const range = KeyRange.bound([version, ""], [version, []])
      return enqueue(false, (store) => {
        const keys = store.getAllKeys(range)
        // Once the later request has succeeded, the earlier one has (see outcome).
        return {
          result: outcome(store.getAll(range)).then((records) =>
            keys.result.flatMap((key, i) => {
              const entry = toEntry(records[i])
              return entry ? [[(key as unknown as StoreKey)[1], entry] as const] : []
            }),
          ),
        }
      })
    },
    clear() {
      return enqueue(true, (store) => {
        wrote(store.transaction)
        return { result: outcome(store.clear()) }
      })
    },
    sweep(now, limit) {
      return enqueue<number>(true, (store) => {
        if (candidates.length >= limit || (candidates.length > 0 && !scanFull))
          return deleteExpired(store, candidates.splice(0, limit), now)
        const cap = limit * SCAN_BATCHES
        const deletes = scanKeys(store.index(BY_EXPIRY), KeyRange.upperBound(now), cap).then((keys) => {
          scanFull = keys.length === cap
          candidates = keys.slice(limit)
          // Found in this transaction: expired for sure.
          return deleteExpired(store, keys.slice(0, limit), null)
        })
        return { issued: deletes.then((sweep) => sweep.issued), result: deletes.then((sweep) => sweep.result) }
      })
    },
  }
}
