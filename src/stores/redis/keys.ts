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
  /** The Redis key of an entry. */
  entryKey(key: StoreKey): string
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
 * be (those are arrays of three strings).
 *
 * @param prefix - what every key of the store starts with (`"isocache:"` by default)
 * @param name - the cache name
 * @returns the layout
 */
export function redisLayout(prefix: string, name: string): RedisLayout {
  const entryPrefix = `${prefix}[${JSON.stringify(name)},`
  return {
    entryPrefix,
    entryPrefixBytes: new TextEncoder().encode(entryPrefix).length,
    index: `${prefix}${JSON.stringify([name])}`,
    pattern: `${escapeGlob(entryPrefix)}*`,
    entryKey: ([version, key]) => `${entryPrefix}${JSON.stringify(version)},${JSON.stringify(key)}]`,
    versionPrefix: (version) => `${entryPrefix}${JSON.stringify(version)},`,
    versionPattern: (version) => `${escapeGlob(`${entryPrefix}${JSON.stringify(version)},`)}*`,
  }
}
