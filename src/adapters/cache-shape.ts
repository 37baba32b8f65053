/**
 * The methods of a `Cache` that the adapters call, typed by shape so that each adapter's declarations
 * stand on their own (no class of the core in them): a `Cache` of `isocache` is one.
 */
export interface CacheShape {
  /** `Cache.get`. */
  get(key: string): Promise<unknown>
  /** `Cache.getMany`. */
  getMany(keys: Iterable<string>): Promise<Partial<Record<string, unknown>>>
  /** `Cache.set`. */
  set(key: string, value: unknown, options?: { readonly timeout?: number | null }): Promise<void>
  /** `Cache.setMany`. */
  setMany(
    entries: Iterable<readonly [string, unknown]>,
    options?: { readonly timeout?: number | null; readonly version?: string | number | null },
  ): Promise<void>
  /** `Cache.delete`. */
  delete(key: string): Promise<boolean>
  /** `Cache.deleteMany`. */
  deleteMany(keys: Iterable<string>): Promise<number>
  /** `Cache.keys`. */
  keys(): Promise<string[]>
  /** `Cache.entries`. */
  entries(): Promise<Array<[string, unknown]>>
  /** `Cache.clear`. */
  clear(): Promise<void>
  /** `Cache.disconnect`. */
  disconnect(): Promise<void>
}
