import { openFailure } from "./errors.js"
import { hasLayout, upgrade } from "./schema.js"

/** The one connection of a store to its database: opened lazily, dropped when it dies. */
export interface Connection {
  /** The open connection, opening it first if needed. */
  get(): Promise<IDBDatabase>
  /** Marks `db` as dead (if it is the current connection, the next `get()` reopens). */
  drop(db: IDBDatabase): void
  /**
   * The connections the browser or another tab closed under us (and those dropped): an abort on one
   * of them is not our fault, and worth a retry.
   */
  readonly lost: WeakSet<IDBDatabase>
  /** Closes the connection, if any. */
  close(): Promise<void>
}

/**
 * Manages the connection of one store to `databaseName` on `factory` (when there is no factory,
 * every open fails with StoreUnavailableError). The connection is disposable: it closes itself when
 * another tab needs to upgrade or delete the database (`versionchange`), is forgotten when the
 * browser closes it, and every open is bounded in time (`openTimeout` ms), so a cache never hangs
 * the page.
 */
export function createConnection(
  databaseName: string,
  factory: IDBFactory | undefined,
  openTimeout: number,
): Connection {
  let connection: Promise<IDBDatabase> | null = null
  // The open connection, once `connection` has resolved.
  let opened: IDBDatabase | null = null
  const lost = new WeakSet<IDBDatabase>()

  const unavailable = openFailure(databaseName)

  const request = (version?: number): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      if (!factory) return reject(unavailable("no IndexedDB here"))
      let req: IDBOpenDBRequest
      try {
        // An undefined version is no version (WebIDL's optional argument): the current one.
        req = factory.open(databaseName, version)
      } catch (error) {
        return reject(unavailable(error, error))
      }
      // Whether the open was given up on (blocked, timed out, failed).
      let givenUp = false
      const give = (reason: unknown, cause?: unknown): void => {
        clearTimeout(timer)
        givenUp = true
        reject(unavailable(reason, cause))
      }
      let timer = setTimeout(() => give(`it did not open within ${openTimeout} ms`), openTimeout)
      // The upgrade's transaction is the request's (never null in upgradeneeded).
      req.onupgradeneeded = () => upgrade(req.result, req.transaction as IDBTransaction)
      // Another tab's connection did not close on versionchange: give it a moment (a second at most;
      // it may close asynchronously), then report rather than wait forever.
      req.onblocked = () => {
        clearTimeout(timer)
        timer = setTimeout(() => give("blocked by another tab"), Math.min(1000, openTimeout))
      }
      req.onsuccess = () => {
        clearTimeout(timer)
        // An open given up on (blocked, timed out) may still succeed later: close it, so it blocks nobody.
        if (givenUp) req.result.close()
        else resolve(req.result)
      }
      req.onerror = () => give(req.error, req.error)
    })

  const drop = (db: IDBDatabase): void => {
    lost.add(db)
    if (opened === db) opened = connection = null
  }

  const open = async (): Promise<IDBDatabase> => {
    let mine = await request()
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
      // biome-ignore lint/suspicious/noAssignInExpressions: the promise is kept and given in one step
      const attempt: Promise<IDBDatabase> = (connection ??= open().catch((error: unknown) => {
        // A failed open is forgotten (unless another has replaced it since: see close). This runs once
        // `attempt` is set.
        if (connection === attempt) connection = null
        throw error
      }))
      return attempt
    },
    drop,
    lost,
    async close() {
      const pending = connection
      opened = connection = null
      ;(await pending?.catch(() => null))?.close()
    },
  }
}
