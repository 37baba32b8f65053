// The one place where the IndexedDB store turns what the browser throws into the library's errors.
import { CacheError, StorageQuotaError, StoreClosedError, StoreError, StoreUnavailableError } from "../../errors.js"

/**
 * The `name` of a DOMException (or any error), if it has one. Only compared with names (a name that
 * is not a string matches none of them).
 */
export const errorName = (error: unknown): string | undefined => (error as { name?: string } | null | undefined)?.name

/** The `message` of an error (a `DOMException`, say), or the thing thrown as a string. */
export const errorMessage = (error: unknown): string =>
  String((error as { message?: unknown } | null | undefined)?.message ?? error)

/** Whether the browser refused a write for lack of space. */
export const overQuota = (error: unknown): boolean => errorName(error) === "QuotaExceededError"

// Whether the connection is gone (closed by the browser, by a versionchange, or by WebKit's "server
// lost"): the transaction did not happen and can be retried on a new connection.
export const lostConnection = (error: unknown): boolean =>
  ["InvalidStateError", "UnknownError", "TransactionInactiveError"].includes(errorName(error) as string)

// WebKit refuses Blob and File values in an ephemeral session (private browsing, automation) with an
// UnknownError on the put: the value cannot be stored; the connection is fine (see probeBlobs).
export const refusesBlob = (error: unknown): boolean =>
  errorName(error) === "UnknownError" && /Blob|File/.test(errorMessage(error))

/**
 * The errors of a database that cannot be opened: `openFailure(databaseName)(reason, cause)`, where
 * `reason` is a string or what the browser threw (its message is given).
 */
export const openFailure =
  (databaseName: string) =>
  (reason: unknown, cause?: unknown): StoreUnavailableError =>
    new StoreUnavailableError(`IndexedDB "${databaseName}" cannot open: ${errorMessage(reason)}`, { cause })

/**
 * The library's error for what a transaction or request of `databaseName` failed with: the quota
 * (also as an abort whose target holds it), a lost connection, or any other failure:
 * `toCacheError(databaseName)(error)`.
 */
export const toCacheError =
  (databaseName: string) =>
  (error: unknown): CacheError => {
    if (error instanceof CacheError) return error
    const [Class, reason] =
      overQuota(error) || overQuota((error as { target?: { error?: unknown } } | undefined)?.target?.error)
        ? [StorageQuotaError, ": storage quota exceeded"]
        : lostConnection(error)
          ? [StoreClosedError, ": the browser closed the connection"]
          : [StoreError, ` failed: ${errorMessage(error)}`]
    return new Class(`IndexedDB "${databaseName}"${reason}`, { cause: error })
  }
