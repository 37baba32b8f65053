import { CacheError, type StoreUnavailableError } from "../../errors.js"
import { errorMessage, openFailure } from "./errors.js"
import { hasLayout, upgrade } from "./schema.js"

/** How long an open blocked by another tab's connection waits for it to close before failing. */
const BLOCKED_GRACE_MS = 1000

export interface ConnectionOptions {
  readonly databaseName: string
  readonly factory: () => IDBFactory
  readonly openTimeout: number
}

/** The one connection of a store to its database: opened lazily, dropped when it dies. */
export interface Connection {
  /** The open connection, opening it first if needed. */
  get(): Promise<IDBDatabase>
  /** Marks `db` as dead (if it is the current connection, the next `get()` reopens). */
  drop(db: IDBDatabase): void
  /** Whether the browser or another tab closed `db` under us. */
  isLost(db: IDBDatabase): boolean
  /** Closes the connection, if any. */
  close(): Promise<void>
}

/**
 * Manages the connection of one store. The connection is disposable: it closes itself when another
 * tab needs to upgrade or delete the database (`versionchange`), is forgotten when the browser
 * closes it, and every open is bounded in time, so a cache never hangs the page.
 */
export function createConnection({ databaseName, factory, openTimeout }: ConnectionOptions): Connection {
  let connection: Promise<IDBDatabase> | null = null
  // The open connection, once `connection` has resolved.
  let opened: IDBDatabase | null = null
  // Connections closed under us: an abort on one of them is not our fault, and worth a retry.
  const lost = new WeakSet<IDBDatabase>()

  const unavailable = openFailure(databaseName)

  const request = (version: number | undefined): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      let settled = false
      let req: IDBOpenDBRequest
      try {
        // An undefined version is no version (WebIDL's optional argument): the current one.
        req = factory().open(databaseName, version)
      } catch (error) {
        reject(error instanceof CacheError ? error : unavailable(errorMessage(error), error))
        return
      }
      const give = (error: StoreUnavailableError): void => {
        clearTimeout(timer)
        if (settled) return
        settled = true
        reject(error)
      }
      let timer = setTimeout(() => give(unavailable(`it did not open within ${openTimeout} ms`)), openTimeout)
      req.onupgradeneeded = () => {
        if (req.transaction) upgrade(req.result, req.transaction)
      }
      // Another tab's connection did not close on versionchange: give it a moment (it may close
      // asynchronously), then report rather than wait forever.
      req.onblocked = () => {
        clearTimeout(timer)
        timer = setTimeout(
          () => give(unavailable("blocked by another tab's connection")),
          Math.min(BLOCKED_GRACE_MS, openTimeout),
        )
      }
      req.onsuccess = () => {
        clearTimeout(timer)
        // An open given up on (blocked, timed out) may still succeed later: close it, so it blocks nobody.
        if (settled) req.result.close()
        else {
          settled = true
          resolve(req.result)
        }
      }
      req.onerror = () => give(unavailable(errorMessage(req.error), req.error))
    })

  const drop = (db: IDBDatabase): void => {
    lost.add(db)
    if (opened === db) {
      opened = null
      connection = null
    }
  }

  const open = async (): Promise<IDBDatabase> => {
    let mine = await request(undefined)
    if (!hasLayout(mine)) {
      mine.close()
      mine = await request(mine.version + 1)
    }
    // Another tab wants to upgrade or delete the database: let it, and reopen on the next call.
    mine.onversionchange = () => {
      mine.close()
      drop(mine)
    }
    // The browser closed the connection (storage cleared, WebKit's "server lost", …).
    mine.onclose = () => drop(mine)
    opened = mine
    return mine
  }

  return {
    get() {
      if (!connection) {
        const attempt: Promise<IDBDatabase> = open().catch((error: unknown) => {
          if (connection === attempt) connection = null
          throw error
        })
        connection = attempt
      }
      return connection
    },
    drop,
    isLost: (db) => lost.has(db),
    async close() {
      const pending = connection
      connection = null
      opened = null
      const db = await pending?.catch(() => null)
      db?.close()
    },
  }
}
