/**
 * isocache: an async key-value cache with per-key expiry and versions, on IndexedDB in browsers and
 * in memory in Node (SSR).
 * @packageDocumentation
 */

export type {
  CacheEntry,
  DefaultValue,
  Entries,
  FactoryContext,
  GetOrSetOptions,
  ValueOrFactory,
  VersionOptions,
  WriteOptions,
} from "./cache.js"
export { Cache } from "./cache.js"
export type { CacheErrorCode, CacheErrorOptions } from "./errors.js"
export {
  CacheError,
  InvalidArgumentError,
  KeyNotFoundError,
  NotANumberError,
  NotStorableError,
  StorageQuotaError,
  StoreClosedError,
  StoreError,
  StoreUnavailableError,
} from "./errors.js"
export type { CacheOptions, StoreOption } from "./options.js"
export type {
  IDBFactoryLike,
  IDBKeyRangeLike,
  IndexedDBStore,
  IndexedDBStoreOptions,
} from "./stores/indexeddb/index.js"
export { createIndexedDBStore } from "./stores/indexeddb/index.js"
export type { MemoryStore, MemoryStoreOptions } from "./stores/memory.js"
export { createMemoryStore } from "./stores/memory.js"
export type {
  ChangeEvent,
  NamespaceOptions,
  StaleWindows,
  Store,
  StoreChange,
  StoreEntry,
  StoreIncrResult,
  StoreKey,
  StoreNamespace,
  StoreUpdate,
  StoreWrite,
} from "./types.js"
export { removalTime } from "./types.js"
export type { Version } from "./validate.js"
