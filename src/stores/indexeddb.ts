import { type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, unwrap, wrap } from "idb"
import {
  CacheError,
  NotStorableError,
  StorageQuotaError,
  StoreClosedError,
  StoreError,
  StoreUnavailableError,
} from "../errors.js"
import type { Store, StoreEntry, StoreKey, StoreUpdate } from "../types.js"

/** Options of {@link createIndexedDBStore}. */
export interface IndexedDBStoreOptions {
  /**
   * The cache name: each name is a database of its own (`isocache:<name>`), fully isolated.
   * @defaultValue `"isocache"`
   */
  readonly name?: string
  /**
   * The IndexedDB factory to use, e.g. a fresh `fake-indexeddb` one in tests. The `IDB*` classes
   * of the same implementation must be globals (as `fake-indexeddb/auto` makes them).
   * @defaultValue `globalThis.indexedDB`, read when the store opens
   */
  readonly indexedDB?: IDBFactory
  /**
   * The `IDBKeyRange` class that goes with `indexedDB`.
   * @defaultValue `globalThis.IDBKeyRange`
   */
  readonly IDBKeyRange?: typeof IDBKeyRange
  /**
   * Milliseconds to wait for the database to open before failing with `StoreUnavailableError`: an
   * open can wait forever behind another tab's blocked upgrade (or a browser bug), and a cache must
   * not hang the page. An open blocked by another tab's connection fails at once.
   * @defaultValue `10_000`
   */
  readonly openTimeout?: number
}

/** A store backed by IndexedDB. */
export interface IndexedDBStore extends Store {
  readonly kind: "indexeddb"
  /** The name of the IndexedDB database that holds this cache. */
  readonly databaseName: string
}

/** The object store that holds the entries, and its index on the expiry time. */
export const ENTRIES = "entries"
export const BY_EXPIRY = "expiresAt"

/**
 * A record as stored: `expiresAt` is absent for entries that never expire, which keeps them out of
 * the expiry index. The primary key is the compound `[version, key]`.
 */
interface StoredRecord {
  value: unknown
  expiresAt?: number
}

type Database = IDBPDatabase
type EntriesStore = IDBPObjectStore<unknown, [typeof ENTRIES], typeof ENTRIES, "readwrite">
type Transaction<M extends IDBTransactionMode> = IDBPTransaction<unknown, [typeof ENTRIES], M>

// Every operation awaits `done`; handling it here as well keeps a transaction that fails before
// that point from being reported as an unhandled rejection.
function begin<M extends IDBTransactionMode>(db: Database, mode: M): Transaction<M> {
  const tx = db.transaction(ENTRIES, mode)
  tx.done.catch(() => {})
  return tx
}

const toRecord = (entry: StoreEntry): StoredRecord =>
  entry.expiresAt === null ? { value: entry.value } : { value: entry.value, expiresAt: entry.expiresAt }

// Records written by another program, or damaged, read as misses rather than crash the cache.
function toEntry(record: unknown): StoreEntry | undefined {
  if (typeof record !== "object" || record === null || !Object.hasOwn(record, "value")) return undefined
  const { value, expiresAt } = record as StoredRecord
  if (expiresAt !== undefined && (typeof expiresAt !== "number" || Number.isNaN(expiresAt))) return undefined
  return { value, expiresAt: expiresAt ?? null }
}

function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "name" in error && typeof error.name === "string"
    ? error.name
    : undefined
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// The connection is gone (closed by the browser, by a versionchange, or by WebKit's "server lost"):
// the operation did not happen and can be retried on a new connection.
const lostConnection = new Set(["InvalidStateError", "UnknownError", "TransactionInactiveError"])

function hasLayout(db: IDBDatabase): boolean {
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

// Creates the layout, or mends one left by another program or an older layout: a cache may lose
// its entries, but it must never be stuck.
function upgrade(db: IDBDatabase, tx: IDBTransaction): void {
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

/**
 * Creates a store backed by IndexedDB: one database per cache name, one object store keyed by the
 * compound key `[version, key]`, and an index on the expiry time through which expired entries are
 * swept. Batches run in one transaction; read-modify-writes in one read-write transaction.
 *
 * The connection is disposable: it closes when another tab needs to upgrade or delete the database
 * (`versionchange`), and when the browser closes it the next call reopens it and retries once.
 *
 * @param options - `name`, and an `indexedDB` factory to use instead of the global one
 * @returns the store, to pass as the `store` option of a {@link Cache}
 * @example
 * ```ts
 * const cache = new Cache({ store: createIndexedDBStore({ name: "api" }) })
 * ```
 */
export function createIndexedDBStore(options: IndexedDBStoreOptions = {}): IndexedDBStore {
  const databaseName = `isocache:${options.name ?? "isocache"}`
  const openTimeout = options.openTimeout ?? 10_000
  let connection: Promise<Database> | null = null

  const factory = (): IDBFactory => {
    const found = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
    if (!found) throw new StoreUnavailableError("IndexedDB is not available in this environment")
    return found
  }

  const request = (version: number | undefined): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      let settled = false
      let req: IDBOpenDBRequest
      try {
        req = version === undefined ? factory().open(databaseName) : factory().open(databaseName, version)
      } catch (error) {
        reject(
          error instanceof CacheError
            ? error
            : new StoreUnavailableError(`Cannot open IndexedDB database "${databaseName}": ${errorMessage(error)}`, {
                cause: error,
              }),
        )
        return
      }
      req.onupgradeneeded = () => {
        if (req.transaction) upgrade(req.result, req.transaction)
      }
      const give = (error: StoreUnavailableError): void => {
        clearTimeout(timer)
        if (settled) return
        settled = true
        reject(error)
      }
      const timer = setTimeout(
        () =>
          give(new StoreUnavailableError(`IndexedDB database "${databaseName}" did not open within ${openTimeout} ms`)),
        openTimeout,
      )
      req.onblocked = () =>
        give(
          new StoreUnavailableError(
            `Opening IndexedDB database "${databaseName}" is blocked by a connection in another tab that does not close`,
          ),
        )
      req.onsuccess = () => {
        clearTimeout(timer)
        // An open given up on (blocked, timed out) may still succeed later: close it, so it blocks nobody.
        if (settled) req.result.close()
        else {
          settled = true
          resolve(req.result)
        }
      }
      req.onerror = () =>
        give(
          new StoreUnavailableError(`Cannot open IndexedDB database "${databaseName}": ${errorMessage(req.error)}`, {
            cause: req.error,
          }),
        )
    })

  // Connections the browser or another tab closed under us: an abort on one of them is not our fault.
  const lost = new WeakSet<IDBDatabase>()
  // The open connection, once `connection` has resolved.
  let opened: IDBDatabase | null = null

  const openDatabase = async (): Promise<Database> => {
    let db = await request(undefined)
    if (!hasLayout(db)) {
      const next = db.version + 1
      db.close()
      db = await request(next)
    }
    const mine = db
    const forget = (): void => {
      lost.add(mine)
      drop(mine)
    }
    // Another tab wants to upgrade or delete the database: let it, and reopen on the next call.
    mine.onversionchange = () => {
      mine.close()
      forget()
    }
    // The browser closed the connection (storage cleared, WebKit's "server lost", …).
    mine.onclose = forget
    opened = mine
    return wrap(mine)
  }

  const connect = (): Promise<Database> => {
    if (!connection) {
      const attempt: Promise<Database> = openDatabase().catch((error: unknown) => {
        if (connection === attempt) connection = null
        throw error
      })
      connection = attempt
    }
    return connection
  }

  // Forgets `db` if it is the current connection, so that the next call reopens.
  const drop = (db: IDBDatabase): void => {
    if (opened === db) {
      opened = null
      connection = null
    }
  }

  const fail = (what: string, error: unknown): CacheError => {
    if (error instanceof CacheError) return error
    const name = errorName(error)
    const inner = errorName((error as { target?: { error?: unknown } } | undefined)?.target?.error)
    if (name === "QuotaExceededError" || inner === "QuotaExceededError") {
      return new StorageQuotaError(`IndexedDB refused to ${what}: the storage quota is used up`, { cause: error })
    }
    if (name && lostConnection.has(name)) {
      return new StoreClosedError(`IndexedDB connection was closed by the browser while trying to ${what}`, {
        cause: error,
      })
    }
    return new StoreError(`IndexedDB failed to ${what}: ${errorMessage(error)}`, { cause: error })
  }

  // Runs one transaction; if the connection turns out to be dead, reopens it and retries once.
  const run = async <T>(what: string, op: (db: Database) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const db = await connect()
      try {
        return await op(db)
      } catch (error) {
        const raw = unwrap(db)
        const name = errorName(error)
        const dead = (name !== undefined && lostConnection.has(name)) || lost.has(raw)
        if (!dead || attempt > 0 || error instanceof CacheError) throw fail(what, error)
        lost.add(raw)
        drop(raw)
      }
    }
  }

  const put = (store: EntriesStore, key: StoreKey, entry: StoreEntry): Promise<unknown> => {
    try {
      return store.put(toRecord(entry), key as unknown as IDBValidKey)
    } catch (error) {
      if (errorName(error) === "DataCloneError") {
        throw new NotStorableError(key[1], "value", "not cloneable by the structured clone algorithm", { cause: error })
      }
      throw error
    }
  }

  // Issues the writes of a read-write transaction; a write that throws (a value the browser cannot
  // clone) aborts the transaction, so nothing of it is committed.
  const writeAll = async (
    tx: Transaction<"readwrite">,
    writes: Array<readonly [StoreKey, StoreEntry | null]>,
  ): Promise<void> => {
    const pending: Array<Promise<unknown>> = []
    try {
      for (const [key, entry] of writes) {
        pending.push(entry ? put(tx.store, key, entry) : tx.store.delete(key as unknown as IDBValidKey))
      }
    } catch (error) {
      tx.abort()
      await Promise.allSettled([...pending, tx.done])
      throw error
    }
    await Promise.all([...pending, tx.done])
  }

  return {
    kind: "indexeddb",
    databaseName,
    async open() {
      await connect()
    },
    async close() {
      const pending = connection
      connection = null
      opened = null
      const db = await pending?.catch(() => null)
      db?.close()
    },
    getMany(keys) {
      return run("read", async (db) => {
        const tx = begin(db, "readonly")
        const [records] = await Promise.all([
          Promise.all(keys.map((key) => tx.store.get(key as unknown as IDBValidKey))),
          tx.done,
        ])
        return records.map(toEntry)
      })
    },
    setMany(entries) {
      return run("write", async (db) => {
        const tx = begin(db, "readwrite")
        await writeAll(
          tx,
          entries.map(([key, entry]) => [key, entry] as const),
        )
      })
    },
    update<R>(keys: readonly StoreKey[], fn: (current: ReadonlyArray<StoreEntry | undefined>) => StoreUpdate<R>) {
      return run("update", async (db) => {
        const tx = begin(db, "readwrite")
        // Only IndexedDB requests are awaited in here: anything else would let the transaction commit.
        const records = await Promise.all(keys.map((key) => tx.store.get(key as unknown as IDBValidKey)))
        let outcome: StoreUpdate<R>
        try {
          outcome = fn(records.map(toEntry))
        } catch (error) {
          await tx.done
          throw error
        }
        const writes: Array<readonly [StoreKey, StoreEntry | null]> = []
        keys.forEach((key, i) => {
          const next = outcome.writes[i]
          if (next !== undefined) writes.push([key, next])
        })
        await writeAll(tx, writes)
        return outcome.result
      })
    },
    clear() {
      return run("clear", async (db) => {
        const tx = begin(db, "readwrite")
        await Promise.all([tx.store.clear(), tx.done])
      })
    },
    sweep(now, limit) {
      return run("sweep expired entries", async (db) => {
        const KeyRange = options.IDBKeyRange ?? (globalThis as { IDBKeyRange?: typeof IDBKeyRange }).IDBKeyRange
        if (!KeyRange) throw new StoreUnavailableError("IDBKeyRange is not available in this environment")
        const tx = begin(db, "readwrite")
        const expired = await tx.store.index(BY_EXPIRY).getAllKeys(KeyRange.upperBound(now), limit)
        await Promise.all([...expired.map((key) => tx.store.delete(key)), tx.done])
        return expired.length
      })
    },
  }
}
