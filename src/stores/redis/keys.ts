import type { StoreKey } from "../../types.js"

/** Where one cache name's data lives in Redis. */
export interface RedisLayout {
  /** What every entry key of this name starts with: `prefix + '["<name>",'`. */
  readonly entryPrefix: string
  /** The length of {@link RedisLayout.entryPrefix} in UTF-8 bytes, as Lua's `string.sub` counts. */
  readonly entryPrefixBytes: number
  /** The sorted set of this name's expiring entries: member = entry key minus the prefix, score = the time it may go (`removalTime`). */
  readonly index: string
  /** A `SCAN MATCH` pattern for this name's entry keys, and only theirs. */
  readonly pattern: string
  /**
   * The pub/sub channel of this name's changes: `prefix + '["<name>"]'`. Channels are apart from keys in
   * Redis (the index key has the same name), but not apart from other databases: pub/sub is server-wide.
   */
  readonly channel: string
  /** The Redis key of an entry. */
  entryKey(key: StoreKey): string
  /** The Redis key of the lock that one process at a time holds to compute the entry at `key`. */
  lockKey(key: StoreKey): string
  /** What every entry key of `version` starts with. */
  versionPrefix(version: string): string
  /** A `SCAN MATCH` pattern for the entry keys of `version`, and only theirs. */
  versionPattern(version: string): string
}

// Redis glob patterns give a meaning to these characters; a backslash makes each one literal.
const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, "\\$&")

/**
 * The key layout of one cache name. An entry lives at `prefix + JSON.stringify([name, version, key])`:
 * JSON of an array of strings is injective, so no two (name, version, key) triples share a Redis key,
 * and the prefix up to the name's closing quote belongs to that name alone (a JSON string ends at its
 * first unescaped quote). The expiry index is `prefix + JSON.stringify([name])`, which no entry key can
 * be (those are arrays of three strings). A lock is `prefix + JSON.stringify([[name], version, key])`:
 * its first element is an array, so it is no entry key or index of any name, and no `SCAN` pattern of a
 * name or version matches it (`clear` and `list` leave locks alone). The change channel has the index's
 * name (channels and keys are apart in Redis).
 *
 * @param prefix - what every key of the store starts with (`"isocache:"` by default)
 * @param name - the cache name
 * @returns the layout
 */
export function redisLayout(prefix: string, name: string): RedisLayout {
  const entryPrefix = `${prefix}[${JSON.stringify(name)},`
  const index = `${prefix}${JSON.stringify([name])}`
  return {
    entryPrefix,
    entryPrefixBytes: new TextEncoder().encode(entryPrefix).length,
    index,
    pattern: `${escapeGlob(entryPrefix)}*`,
    channel: index,
    entryKey: ([version, key]) => `${entryPrefix}${JSON.stringify(version)},${JSON.stringify(key)}]`,
    lockKey: ([version, key]) => `${prefix}${JSON.stringify([[name], version, key])}`,
    versionPrefix: (version) => `${entryPrefix}${JSON.stringify(version)},`,
    versionPattern: (version) => `${escapeGlob(`${entryPrefix}${JSON.stringify(version)},`)}*`,
  }
}
