/**
 * Every error isocache throws is one of the classes below. Each has a stable `code`, and every one of
 * them is `instanceof CacheError`.
 *
 * @example
 * ```ts
 * try {
 *   await cache.incr("visits")
 * } catch (error) {
 *   if (error instanceof KeyNotFoundError) await cache.set("visits", 1)
 *   else throw error
 * }
 * ```
 * @packageDocumentation
 */

/** The stable `code` of each error class. */
export type CacheErrorCode =
  | "ERR_INVALID_ARGUMENT"
  | "ERR_KEY_NOT_FOUND"
  | "ERR_NOT_A_NUMBER"
  | "ERR_VALUE_NOT_STORABLE"
  | "ERR_QUOTA_EXCEEDED"
  | "ERR_STORE_UNAVAILABLE"
  | "ERR_STORE_CLOSED"
  | "ERR_STORE_FAILED"

// InvalidArgumentError must extend TypeError (the spec wants a TypeError-style error for a bad key)
// while still being `instanceof CacheError`; JavaScript has single inheritance, so CacheError's
// `instanceof` also accepts objects carrying this brand.
const brand = Symbol.for("isocache.error")

/** Options every isocache error accepts. */
export interface CacheErrorOptions {
  /** The underlying error (a `DOMException` from IndexedDB, say), kept as `cause`. */
  readonly cause?: unknown
}

/**
 * The base class of every error isocache throws.
 *
 * @example
 * ```ts
 * if (error instanceof CacheError) console.log(error.code)
 * ```
 */
export class CacheError extends Error {
  // Each class spells out its name rather than take the constructor's, which a minifier may rename.
  /** The class name, `"CacheError"`, kept when a minifier renames the class. */
  override name = "CacheError"
  /** A stable, machine-readable code, distinct for each kind of error. */
  declare readonly code: CacheErrorCode

  /**
   * Creates the error.
   * @param code - the stable code of the kind of error
   * @param message - what went wrong, naming the key or argument at fault
   * @param options - `cause`: the underlying error
   */
  constructor(code: CacheErrorCode, message: string, options?: CacheErrorOptions) {
    super(message, options)
    this.code = code
    Object.defineProperty(this, brand, { value: true })
  }

  /** `true` for every isocache error, including {@link InvalidArgumentError} (a `TypeError`). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` was called on
    if (this === CacheError) return typeof value === "object" && value !== null && brand in value
    // biome-ignore lint/complexity/noThisInStatic: the prototype-chain check (Function.prototype's), called on `this`
    return super[Symbol.hasInstance](value)
  }
}

/**
 * A wrong argument: a non-string key, a bad timeout, version or delta, a bad option or URL.
 * It is a `TypeError` as well as a {@link CacheError}. Thrown before anything is read or written.
 */
export class InvalidArgumentError extends TypeError {
  /** The class name, `"InvalidArgumentError"`, kept when a minifier renames the class. */
  override name = "InvalidArgumentError"
  /** Always `"ERR_INVALID_ARGUMENT"`. */
  readonly code = "ERR_INVALID_ARGUMENT" as const

  /**
   * Creates the error.
   * @param message - which argument is wrong, and how
   */
  constructor(message: string) {
    super(message)
    Object.defineProperty(this, brand, { value: true })
  }
}

/** `incr`/`decr` on a key with no live entry. */
export class KeyNotFoundError extends CacheError {
  /** The class name, `"KeyNotFoundError"`, kept when a minifier renames the class. */
  override name = "KeyNotFoundError"
  /** The key that was not found. */
  declare readonly key: string

  /**
   * Creates the error.
   * @param key - the key that has no live entry
   */
  constructor(key: string) {
    super("ERR_KEY_NOT_FOUND", `Key ${JSON.stringify(key)} not found`)
    this.key = key
  }
}

/** `incr`/`decr` on an entry whose value is not a number. */
export class NotANumberError extends CacheError {
  /** The class name, `"NotANumberError"`, kept when a minifier renames the class. */
  override name = "NotANumberError"
  /** The key whose value is not a number. */
  declare readonly key: string

  /**
   * Creates the error.
   * @param key - the key whose value is not a number
   * @param actual - a description of the value found
   */
  constructor(key: string, actual: string) {
    super("ERR_NOT_A_NUMBER", `Key ${JSON.stringify(key)} holds ${actual}, not a number`)
    this.key = key
  }
}

/**
 * A value that cannot be stored faithfully: `undefined`, a function, a symbol, an instance of a
 * user class, a DOM node, a proxy the browser refuses to clone… Nothing was written.
 */
export class NotStorableError extends CacheError {
  /** The class name, `"NotStorableError"`, kept when a minifier renames the class. */
  override name = "NotStorableError"
  /** The key the value was meant for. */
  declare readonly key: string
  /** Where in the value the problem is, e.g. `value.items[2].onClick` (`value` for the value itself). */
  declare readonly path: string

  /**
   * Creates the error.
   * @param key - the key the value was for
   * @param path - where in the value the bad part is (`value.a[0]`)
   * @param reason - what the bad part is
   * @param options - `cause`: the underlying error (a `DataCloneError`), if any
   */
  constructor(key: string, path: string, reason: string, options?: CacheErrorOptions) {
    super("ERR_VALUE_NOT_STORABLE", `Cannot store key ${JSON.stringify(key)}: ${path} is ${reason}`, options)
    this.key = key
    this.path = path
  }
}

/** The browser refused the write because the origin's storage quota is used up. Nothing was written. */
export class StorageQuotaError extends CacheError {
  /** The class name, `"StorageQuotaError"`, kept when a minifier renames the class. */
  override name = "StorageQuotaError"
  /**
   * Creates the error.
   * @param message - what failed
   * @param options - `cause`: the browser's `QuotaExceededError`
   */
  constructor(message: string, options?: CacheErrorOptions) {
    super("ERR_QUOTA_EXCEEDED", message, options)
  }
}

/** The store could not be opened (IndexedDB missing, refused, blocked by another tab, or broken). */
export class StoreUnavailableError extends CacheError {
  /** The class name, `"StoreUnavailableError"`, kept when a minifier renames the class. */
  override name = "StoreUnavailableError"
  /**
   * Creates the error.
   * @param message - why the store could not be opened
   * @param options - `cause`: the underlying error
   */
  constructor(message: string, options?: CacheErrorOptions) {
    super("ERR_STORE_UNAVAILABLE", message, options)
  }
}

/** The browser closed the database connection, and reopening it and retrying once failed too. */
export class StoreClosedError extends CacheError {
  /** The class name, `"StoreClosedError"`, kept when a minifier renames the class. */
  override name = "StoreClosedError"
  /**
   * Creates the error.
   * @param message - what failed
   * @param options - `cause`: the underlying error
   */
  constructor(message: string, options?: CacheErrorOptions) {
    super("ERR_STORE_CLOSED", message, options)
  }
}

/** Any other failure of the store; the original error is kept as `cause`. Nothing was written. */
export class StoreError extends CacheError {
  /** The class name, `"StoreError"`, kept when a minifier renames the class. */
  override name = "StoreError"
  /**
   * Creates the error.
   * @param message - what failed
   * @param options - `cause`: the underlying error
   */
  constructor(message: string, options?: CacheErrorOptions) {
    super("ERR_STORE_FAILED", message, options)
  }
}
