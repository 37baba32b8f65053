/// <reference types="node" />
import { createHash } from "node:crypto"

/** A Lua script, run with `EVALSHA` (and `EVAL` once when the server has not cached it yet). */
export interface RedisScript {
  readonly source: string
  readonly sha1: string
}

// What the read-modify-write scripts share: reading an entry's header (the layout of codec.ts) and
// writing an entry with its server expiry and index record. `entry(v)` is nil for no key or bytes that
// are not an entry (which the store reads as a miss); `live(e, now)` is whether `e` is unexpired at
// `now`, the cache's clock (a number: the scripts take every number as a big-endian double).
// `announce(channel, message)` publishes the change a script made (`""` = none), with the write: one
// round trip, and a change is published if and only if it was committed. A PUBLISH that Redis
// refuses (an ACL without the channel) loses the event, never the write: a script's writes stand
// when it fails after them, so the call must not fail then.
const ENTRIES = `
local function double(bytes, at) return (struct.unpack(">d", bytes, at)) end
local function entry(v)
  if not v or #v <= 12 or string.byte(v, 1) ~= 73 or string.byte(v, 2) ~= 67 or string.byte(v, 3) ~= 2 then return nil end
  local flags = string.byte(v, 4)
  local timing = bit.band(flags, 3)
  if flags > 7 or timing == 2 then return nil end
  local size = timing == 3 and 28 or 12
  local number = bit.band(flags, 4) ~= 0
  if (number and #v ~= size + 8) or (not number and #v <= size) then return nil end
  local e = {size = size, number = number}
  if timing ~= 0 then e.expiresAt = double(v, 5) end
  if timing == 3 then e.whileRevalidate = double(v, 13); e.ifError = double(v, 21) end
  return e
end
local function live(e, now) return e ~= nil and (e.expiresAt == nil or now < e.expiresAt) end
local function member(key, cut) return string.sub(key, cut + 1) end
local function announce(channel, message) if channel ~= "" then redis.pcall("PUBLISH", channel, message) end end
`

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
 * Then the channel and message of the change to publish once written (`""` = none).
 * Returns `{1}` once written, or `{0, current values}` when a key had changed (nothing written).
 */
export const WRITE = script(`${ENTRIES}
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
announce(ARGV[2 + n * 5], ARGV[3 + n * 5])
return {1}
`)

/**
 * `add`: stores an entry unless the key holds a live one, in one atomic step. KEYS[1] is the expiry
 * index, KEYS[2] the entry key; ARGV: the index cut (as in {@link WRITE}), now (8 bytes), the entry's
 * bytes, ttl and score (as in {@link WRITE}), and the change's channel and message. Returns 0 once
 * stored (and published), or the live entry's bytes.
 */
export const ADD = script(`${ENTRIES}
local v = redis.call("MGET", KEYS[2])[1]
if live(entry(v), double(ARGV[2], 1)) then return v end
if ARGV[4] == "" then redis.call("SET", KEYS[2], ARGV[3]) else redis.call("SET", KEYS[2], ARGV[3], "PX", ARGV[4]) end
if ARGV[5] == "" then
  redis.call("ZREM", KEYS[1], member(KEYS[2], tonumber(ARGV[1])))
else
  redis.call("ZADD", KEYS[1], ARGV[5], member(KEYS[2], tonumber(ARGV[1])))
end
announce(ARGV[6], ARGV[7])
return 0
`)

/**
 * `incr`: adds ARGV[2] (8 bytes) to a live numeric entry at KEYS[1] in one atomic step, keeping its
 * expiry (header, server TTL and index record are left as they are). ARGV[1] is now (8 bytes), then
 * the delta, the change's channel and message. Lua's
 * numbers are doubles, so the sum is JavaScript's. Returns the new value (8 bytes), 0 when the key
 * has no live entry, or `{bytes}` (the entry) when its value is not a number.
 */
export const INCR = script(`${ENTRIES}
local v = redis.call("MGET", KEYS[1])[1]
local e = entry(v)
if not live(e, double(ARGV[1], 1)) then return 0 end
if not e.number then return {v} end
local sum = struct.pack(">d", double(v, e.size + 1) + double(ARGV[2], 1))
redis.call("SET", KEYS[1], string.sub(v, 1, e.size) .. sum, "KEEPTTL")
announce(ARGV[3], ARGV[4])
return sum
`)

/**
 * `touch`: gives a live entry a new expiry in one atomic step. KEYS[1] is the expiry index, KEYS[2]
 * the entry key; ARGV: the index cut, now (8 bytes), the new expiry (8 bytes, `""` = never: the
 * stale windows go too), the real clock's now in ms (for the server TTL, as the store computes it
 * for a write), and the change's channel and message. Stale windows are kept, counted from the new expiry. Returns 1 when touched, 0 when the
 * key had no live entry.
 */
export const TOUCH = script(`${ENTRIES}
local v = redis.call("MGET", KEYS[2])[1]
local e = entry(v)
if not live(e, double(ARGV[2], 1)) then return 0 end
local kind = e.number and 4 or 0
local body = string.sub(v, e.size + 1)
local id = member(KEYS[2], tonumber(ARGV[1]))
if ARGV[3] == "" then
  redis.call("SET", KEYS[2], "IC" .. string.char(2, kind) .. string.rep(string.char(0), 8) .. body)
  redis.call("ZREM", KEYS[1], id)
  announce(ARGV[5], ARGV[6])
  return 1
end
local expiresAt = double(ARGV[3], 1)
local head = "IC" .. string.char(2, kind + 1) .. ARGV[3]
local removal = expiresAt
if e.whileRevalidate then
  head = "IC" .. string.char(2, kind + 3) .. ARGV[3] .. struct.pack(">dd", e.whileRevalidate, e.ifError)
  removal = expiresAt + math.max(e.whileRevalidate, e.ifError)
end
local ttl = math.ceil(removal - tonumber(ARGV[4]))
if ttl > 0 and ttl <= 9007199254740991 then
  redis.call("SET", KEYS[2], head .. body, "PX", string.format("%.0f", ttl))
else
  redis.call("SET", KEYS[2], head .. body)
end
redis.call("ZADD", KEYS[1], string.format("%.17g", removal), id)
announce(ARGV[5], ARGV[6])
return 1
`)

/**
 * `delete` and `deleteMany`: deletes the entries at KEYS[2..] in one atomic step. KEYS[1] is the expiry
 * index; ARGV: the index cut, now (8 bytes), the channel, the change's message up to its list of keys
 * (the JSON of a delete change whose `keys` come last, without `]}}`), then per key its JSON string.
 * Publishes the change of the live keys removed, if any. Returns, per key, 1 when it held a live
 * entry, else 0.
 */
export const DELETE = script(`${ENTRIES}
local cut = tonumber(ARGV[1])
local now = double(ARGV[2], 1)
local removed = {}
local names = {}
for i = 2, #KEYS do
  local e = entry(redis.call("MGET", KEYS[i])[1])
  removed[i - 1] = live(e, now) and 1 or 0
  if removed[i - 1] == 1 then names[#names + 1] = ARGV[3 + i] end
  if e then
    redis.call("UNLINK", KEYS[i])
    redis.call("ZREM", KEYS[1], member(KEYS[i], cut))
  end
end
if #names > 0 then announce(ARGV[3], ARGV[4] .. table.concat(names, ",") .. "]}}") end
return removed
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
