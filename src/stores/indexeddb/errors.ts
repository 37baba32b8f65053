// The one place where the IndexedDB store turns what the browser throws into the library's errors.
import { CacheError, StorageQuotaError, StoreClosedError, StoreError, StoreUnavailableError } from "../../errors.js"

/** The `name` of a DOMException (or any error), if it has one. */
export function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "name" in error && typeof error.name === "string"
    ? error.name
    : undefined
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// The connection is gone (closed by the browser, by a versionchange, or by WebKit's "server lost"):
// the transaction did not happen and can be retried on a new connection.
export const lostConnection = new Set(["InvalidStateError", "UnknownError", "TransactionInactiveError"])

// WebKit refuses Blob and File values in an ephemeral session (private browsing, automation) with an
// UnknownError on the put: the value cannot be stored; the connection is fine (see probeBlobs).
export const refusesBlob = (error: unknown): boolean =>
  errorName(error) === "UnknownError" && /Blob|File/.test(String((error as { message?: unknown }).message))

/** The error of a database that cannot be opened. */
export const openFailure = (databaseName: string, reason: string, cause?: unknown): StoreUnavailableError =>
  new StoreUnavailableError(`Cannot open IndexedDB database "${databaseName}": ${reason}`, { cause })

/**
 * The library's error for what a transaction or request of `databaseName` failed with: the quota
 * (also as an abort whose target holds it), a lost connection, or any other failure.
 */
export function toCacheError(error: unknown, databaseName: string): CacheError {
  if (error instanceof CacheError) return error
  const name = errorName(error)
  const inner = errorName((error as { target?: { error?: unknown } } | undefined)?.target?.error)
  if (name === "QuotaExceededError" || inner === "QuotaExceededError") {
    return new StorageQuotaError(`IndexedDB refused to write to "${databaseName}": the storage quota is used up`, {
      cause: error,
    })
  }
  if (name && lostConnection.has(name)) {
    return new StoreClosedError(`The browser closed the IndexedDB connection to "${databaseName}"`, { cause: error })
  }
  return new StoreError(`IndexedDB failed on "${databaseName}": ${errorMessage(error)}`, { cause: error })
}
