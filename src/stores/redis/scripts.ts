/// <reference types="node" />
import { createHash } from "node:crypto"

/** A Lua script, run with `EVALSHA` (and `EVAL` once when the server has not cached it yet). */
export interface RedisScript {
  readonly source: string
  readonly sha1: string
}

const script = (source: string): RedisScript => ({ source, sha1: createHash("sha1").update(source).digest("hex") })

/** How many ARGV each entry takes in {@link WRITE}. */
export const WRITE_ARGS_PER_KEY = 5

/**
 * Writes entries in one atomic step, optionally only if every key still holds the bytes the caller read
 * (a compare-and-set: the optimistic `update`). No other client's command runs in between.
 *
 * KEYS[1] is the expiry index, KEYS[2..] the entry keys. ARGV[1] is how many bytes of an entry key come
 * before its index member. Then five ARGV per entry: expected (`""` no check, `"-"` must be absent, else
 * the SHA-1 of the bytes it must hold), action (`""` leave, `"set"`, `"del"`), value, ttl (ms for `PX`,
 * `""` = no server expiry) and score (`removalTime`, `""` = never expires, so not in the index).
 * Returns `{1}` once written, or `{0, current values}` when a key had changed (nothing written).
 */
export const WRITE = script(`
local cut = tonumber(ARGV[1])
local n = #KEYS - 1
local checked = false
for i = 1, n do
  if ARGV[2 + (i - 1) * 5] ~= "" then checked = true end
end
if checked then
  local current = {}
  local changed = false
  for i = 1, n do
    -- MGET, not GET: a key holding another type reads as absent instead of failing the script.
    local value = redis.call("MGET", KEYS[i + 1])[1]
    current[i] = value
    local expected = ARGV[2 + (i - 1) * 5]
    if expected == "-" then
      if value then changed = true end
    elseif expected ~= "" then
      if not value or redis.sha1hex(value) ~= expected then changed = true end
    end
  end
  if changed then return {0, current} end
end
for i = 1, n do
  local at = 2 + (i - 1) * 5
  local key = KEYS[i + 1]
  local action = ARGV[at + 1]
  local member = string.sub(key, cut + 1)
  if action == "set" then
    if ARGV[at + 3] == "" then
      redis.call("SET", key, ARGV[at + 2])
    else
      redis.call("SET", key, ARGV[at + 2], "PX", ARGV[at + 3])
    end
    if ARGV[at + 4] == "" then
      redis.call("ZREM", KEYS[1], member)
    else
      redis.call("ZADD", KEYS[1], ARGV[at + 4], member)
    end
  elseif action == "del" then
    redis.call("UNLINK", key)
    redis.call("ZREM", KEYS[1], member)
  end
end
return {1}
`)

/**
 * Deletes at most ARGV[3] entries whose score in the expiry index KEYS[1] (the time they may go: their
 * expiry, or the end of their stale windows) is at or
 * before ARGV[2]; ARGV[1] is the entry-key prefix that the index members complete. Returns how many
 * index records it removed: an entry that Redis already expired itself counts too, since its record
 * goes now. Keys are built from the index here, so the script suits a single Redis server, not a cluster.
 */
export const SWEEP = script(`
local members = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[2], "LIMIT", 0, tonumber(ARGV[3]))
for i = 1, #members do
  redis.call("UNLINK", ARGV[1] .. members[i])
  redis.call("ZREM", KEYS[1], members[i])
end
return #members
`)

/**
 * Every entry key matching the `SCAN MATCH` pattern ARGV[1] (one version of one name) and its bytes,
 * as `{key1, value1, key2, value2, ...}`, in one atomic step: a consistent snapshot.
 */
export const LIST = script(`
local found = {}
local cursor = "0"
repeat
  local reply = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = reply[1]
  for i = 1, #reply[2] do
    local key = reply[2][i]
    local value = redis.call("MGET", key)[1]
    if value then
      found[#found + 1] = key
      found[#found + 1] = value
    end
  end
until cursor == "0"
return found
`)

/**
 * Gives the lock KEYS[1] back if it still holds the token ARGV[1] (a holder that outlived its lock
 * leaves the next holder's alone). Returns how many keys it deleted.
 */
export const UNLOCK = script(`
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`)
