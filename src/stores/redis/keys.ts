import type { StoreKey } from "../../types.js"

/** Where one cache name's data lives in Redis: every key of it in one hash slot. */
export interface RedisLayout {
  /**
   * What every key of this name starts with: `prefix + '{"<name>"}'`, whose braces make the name's
   * JSON the hash tag of all its keys (one slot per name on a cluster).
   */
  readonly base: string
  /** The length of {@link RedisLayout.base} in UTF-8 bytes, as Lua's `string.sub` counts. */
  readonly baseBytes: number
  /** The sorted set of every entry of this name: member = entry key minus the base, score 0 (so members sort by their bytes). */
  readonly entries: string
  /** The sorted set of this name's expiring entries: member as in {@link RedisLayout.entries}, score = the time it may go (`removalTime`). */
  readonly index: string
  /**
   * The pub/sub channel of this name's changes: the base itself (channels are apart from keys in
   * Redis, and no key is the base). On a cluster its hash tag puts it in the name's slot.
   */
  readonly channel: string
  /** The member of an entry in {@link RedisLayout.entries} and {@link RedisLayout.index}: `["<version>","<key>"]`. */
  member(key: StoreKey): string
  /** The Redis key of an entry: base + member. */
  entryKey(key: StoreKey): string
  /** The Redis key of the lock that one process at a time holds to compute the entry at `key`. */
  lockKey(key: StoreKey): string
  /** What every member of `version` starts with. */
  versionPrefix(version: string): string
}

// Inside the hash tag no brace may stand (Redis's tag ends at the first "}"): JSON may write any
// character as an escape, and these two escapes keep the text injective and valid JSON.
const braceless = (json: string): string => json.replace(/[{}]/g, (c) => (c === "{" ? "\\u007b" : "\\u007d"))

/**
 * The key layout of one cache name. Every key of the name starts with its base, `prefix + "{" +
 * JSON.stringify(name) + "}"` (braces in the name escaped as `\u007b`/`\u007d`), so that on a cluster
 * they all share the hash slot of the name's JSON, and names spread across slots. The prefix holds no
 * brace (the store refuses one), so the tag is the name's. An entry lives at `base +
 * JSON.stringify([version, key])`: JSON of an array of strings is injective, and a base ends at the
 * first `}` after its `{` (a JSON string without braces), so no two (name, version, key) triples share
 * a Redis key. The name's other keys are `base + ":entries"`, `base + ":expiry"` and `base + ":lock" +
 * JSON.stringify([version, key])`: none starts with `[` after the base, so none is an entry.
 *
 * @param prefix - what every key of the store starts with (`"isocache:"` by default; no `{` or `}`)
 * @param name - the cache name
 * @returns the layout
 */
export function redisLayout(prefix: string, name: string): RedisLayout {
  const base = `${prefix}{${braceless(JSON.stringify(name))}}`
  const member = ([version, key]: StoreKey): string => JSON.stringify([version, key])
  return {
    base,
    baseBytes: new TextEncoder().encode(base).length,
    entries: `${base}:entries`,
    index: `${base}:expiry`,
    channel: base,
    member,
    entryKey: (key) => `${base}${member(key)}`,
    lockKey: (key) => `${base}:lock${member(key)}`,
    versionPrefix: (version) => `[${JSON.stringify(version)},`,
  }
}
