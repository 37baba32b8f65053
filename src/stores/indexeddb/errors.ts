// The one place where the IndexedDB store turns what the browser throws into the library's errors.
import { CacheError, StorageQuotaError, StoreClosedError, StoreError, StoreUnavailableError } from "../../errors.js"

/** The `name` of a DOMException (or any error), if it has one. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name
  return typeof name === "string" ? name : undefined
}

/** The `message` of an error (a `DOMException`, say), or the thing thrown as a string. */
export const errorMessage = (error: unknown): string =>
  String((error as { message?: unknown } | null | undefined)?.message ?? error)

// The connection is gone (closed by the browser, by a versionchange, or by WebKit's "server lost"):
// the transaction did not happen and can be retried on a new connection.
export const lostConnection = new Set(["InvalidStateError", "UnknownError", "TransactionInactiveError"])

// WebKit refuses Blob and File values in an ephemeral session (private browsing, automation) with an
// UnknownError on the put: the value cannot be stored; the connection is fine (see probeBlobs).
export const refusesBlob = (error: unknown): boolean =>
  errorName(error) === "UnknownError" && /Blob|File/.test(errorMessage(error))

/** The errors of a database that cannot be opened: `openFailure(databaseName)(reason, cause)`. */
export const openFailure =
  (databaseName: string) =>
  (reason: string, cause?: unknown): StoreUnavailableError =>
    new StoreUnavailableError(`IndexedDB "${databaseName}" cannot open: ${reason}`, { cause })

/**
 * The library's error for what a transaction or request of `databaseName` failed with: the quota
 * (also as an abort whose target holds it), a lost connection, or any other failure.
 */
export function toCacheError(error: unknown, databaseName: string): CacheError {
  if (error instanceof CacheError) return error
  const name = errorName(error)
  const inner = errorName((error as { target?: { error?: unknown } } | undefined)?.target?.error)
  if ([name, inner].includes("QuotaExceededError")) {
    return new StorageQuotaError(`IndexedDB "${databaseName}" refused the write: storage quota exceeded`, {
      cause: error,
    })
  }
  if (name && lostConnection.has(name)) {
    return new StoreClosedError(`IndexedDB "${databaseName}": the browser closed the connection`, { cause: error })
  }
  return new StoreError(`IndexedDB "${databaseName}" failed: ${errorMessage(error)}`, { cause: error })
}
