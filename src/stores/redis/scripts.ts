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
// `announce(command, channel, message)` publishes the change a script made (command `""` = none) with
// `PUBLISH`, or `SPUBLISH` on a cluster (the channel is in the name's slot), with the write: one round
// trip, and a change is published if and only if it was committed. A publish that Redis refuses (an
// ACL without the channel) loses the event, never the write: a script's writes stand when it fails
// after them, so the call must not fail then.
//
// Every key a script touches is in its KEYS (a cluster routes the call by them and refuses a key of
// another slot), except in LIST, which reads the entries its KEYS[1] names: all of them are in that
// key's hash slot (see keys.ts).
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
local function announce(command, channel, message) if command ~= "" then redis.pcall(command, channel, message) end end
`

const script = (source: string): RedisScript => ({ source, sha1: createHash("sha1").update(source).digest("hex") })

/** How many ARGV each entry takes in {@link WRITE}. */
export const WRITE_ARGS_PER_KEY = 5

/**
 * Writes entries in one atomic step, optionally only if every key still holds the bytes the caller read
 * (a compare-and-set: the optimistic `update`). No other client's command runs in between.
 *
 * KEYS[1] is the expiry index, KEYS[2] the set of the name's entries, KEYS[3..] the entry keys. ARGV[1]
 * is how many bytes of an entry key come before its member. Then five ARGV per entry: expected (`""` no
 * check, `"-"` must be absent, else the SHA-1 of the bytes it must hold), action (`""` leave, `"set"`,
 * `"del"`), value, ttl (ms for `PX`, `""` = no server expiry) and score (`removalTime`, `""` = never
 * expires, so not in the index). Then the publish command, channel and message of the change to
 * publish once written (command `""` = none).
 * Returns `{1}` once written, or `{0, current values}` when a key had changed (nothing written).
 */
export const WRITE = script(`${ENTRIES}
local cut = tonumber(ARGV[1])
local n = #KEYS - 2
local checked = false
for i = 1, n do
  if ARGV[2 + (i - 1) * 5] ~= "" then checked = true end
end
if checked then
  local current = {}
  local changed = false
  for i = 1, n do
    -- MGET, not GET: a key holding another type reads as absent instead of failing the script.
    local value = redis.call("MGET", KEYS[i + 2])[1]
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
  local key = KEYS[i + 2]
  local action = ARGV[at + 1]
  local id = member(key, cut)
  if action == "set" then
    if ARGV[at + 3] == "" then
      redis.call("SET", key, ARGV[at + 2])
    else
      redis.call("SET", key, ARGV[at + 2], "PX", ARGV[at + 3])
    end
    redis.call("ZADD", KEYS[2], 0, id)
    if ARGV[at + 4] == "" then
      redis.call("ZREM", KEYS[1], id)
    else
      redis.call("ZADD", KEYS[1], ARGV[at + 4], id)
    end
  elseif action == "del" then
    redis.call("UNLINK", key)
    redis.call("ZREM", KEYS[2], id)
    redis.call("ZREM", KEYS[1], id)
  end
end
announce(ARGV[2 + n * 5], ARGV[3 + n * 5], ARGV[4 + n * 5])
return {1}
`)

/**
 * `add`: stores an entry unless the key holds a live one, in one atomic step. KEYS[1] is the expiry
 * index, KEYS[2] the set of entries, KEYS[3] the entry key; ARGV: the member cut (as in
 * {@link WRITE}), now (8 bytes), the entry's bytes, ttl and score (as in {@link WRITE}), and the
 * change's publish command, channel and message. Returns 0 once stored (and published), or the live
 * entry's bytes.
 */
export const ADD = script(`${ENTRIES}
local v = redis.call("MGET", KEYS[3])[1]
if live(entry(v), double(ARGV[2], 1)) then return v end
if ARGV[4] == "" then redis.call("SET", KEYS[3], ARGV[3]) else redis.call("SET", KEYS[3], ARGV[3], "PX", ARGV[4]) end
local id = member(KEYS[3], tonumber(ARGV[1]))
redis.call("ZADD", KEYS[2], 0, id)
if ARGV[5] == "" then redis.call("ZREM", KEYS[1], id) else redis.call("ZADD", KEYS[1], ARGV[5], id) end
announce(ARGV[6], ARGV[7], ARGV[8])
return 0
`)

/**
 * `incr`: adds ARGV[2] (8 bytes) to a live numeric entry at KEYS[1] in one atomic step, keeping its
 * expiry (header, server TTL and index records are left as they are). ARGV[1] is now (8 bytes), then
 * the delta, the change's publish command, channel and message. Lua's numbers are doubles, so the sum
 * is JavaScript's. Returns the new value (8 bytes), 0 when the key has no live entry, or `{bytes}`
 * (the entry) when its value is not a number.
 */
export const INCR = script(`${ENTRIES}
local v = redis.call("MGET", KEYS[1])[1]
local e = entry(v)
if not live(e, double(ARGV[1], 1)) then return 0 end
if not e.number then return {v} end
local sum = struct.pack(">d", double(v, e.size + 1) + double(ARGV[2], 1))
redis.call("SET", KEYS[1], string.sub(v, 1, e.size) .. sum, "KEEPTTL")
announce(ARGV[3], ARGV[4], ARGV[5])
return sum
`)

/**
 * `touch`: gives a live entry a new expiry in one atomic step. KEYS[1] is the expiry index, KEYS[2]
 * the entry key (a live entry is in the set of entries already); ARGV: the member cut, now (8 bytes),
 * the new expiry (8 bytes, `""` = never: the stale windows go too), the real clock's now in ms (for
 * the server TTL, as the store computes it for a write), and the change's publish command, channel
 * and message. Stale windows are kept, counted from the new expiry. Returns 1 when touched, 0 when the
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
  announce(ARGV[5], ARGV[6], ARGV[7])
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
announce(ARGV[5], ARGV[6], ARGV[7])
return 1
`)

/**
 * `delete` and `deleteMany`: deletes the entries at KEYS[3..] in one atomic step. KEYS[1] is the expiry
 * index, KEYS[2] the set of entries; ARGV: the member cut, now (8 bytes), the publish command, the
 * channel, the change's message up to its list of keys (the JSON of a delete change whose `keys` come
 * last, without `]}}`), then per key its JSON string. Publishes the change of the live keys removed,
 * if any. Returns, per key, 1 when it held a live entry, else 0.
 */
export const DELETE = script(`${ENTRIES}
local cut = tonumber(ARGV[1])
local now = double(ARGV[2], 1)
local removed = {}
local names = {}
for i = 3, #KEYS do
  local e = entry(redis.call("MGET", KEYS[i])[1])
  removed[i - 2] = live(e, now) and 1 or 0
  if removed[i - 2] == 1 then names[#names + 1] = ARGV[3 + i] end
  -- A key that holds no entry of ours (another type, foreign bytes) is left as it is.
  if e then redis.call("UNLINK", KEYS[i]) end
  redis.call("ZREM", KEYS[2], member(KEYS[i], cut))
  redis.call("ZREM", KEYS[1], member(KEYS[i], cut))
end
if #names > 0 then announce(ARGV[3], ARGV[4], ARGV[5] .. table.concat(names, ",") .. "]}}") end
return removed
`)

/**
 * The second step of a sweep, whose first (`ZRANGEBYSCORE` of the expiry index KEYS[1]) found the
 * entry keys KEYS[3..]: deletes each one whose index score (the time it may go: its expiry, or the end
 * of its stale windows) is still at or before ARGV[2], with its records in the index and in the set of
 * entries KEYS[2]; one rewritten in between is left. ARGV[1] is the member cut. Returns how many index
 * records it removed: an entry that Redis already expired itself counts too, since its records go now.
 */
export const SWEEP = script(`
local cut = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local removed = 0
for i = 3, #KEYS do
  local id = string.sub(KEYS[i], cut + 1)
  local score = redis.call("ZSCORE", KEYS[1], id)
  if score and tonumber(score) <= now then
    redis.call("UNLINK", KEYS[i])
    redis.call("ZREM", KEYS[1], id)
    redis.call("ZREM", KEYS[2], id)
    removed = removed + 1
  end
end
return removed
`)

/**
 * One batch of `clear`: deletes the entry keys KEYS[3..] (found by the batch before) with their
 * records in the expiry index KEYS[1] and the set of entries KEYS[2], then returns the members of the
 * next at most ARGV[2] entries (`{}` once none is left). ARGV[1] is the member cut.
 */
export const CLEAR = script(`
local cut = tonumber(ARGV[1])
for i = 3, #KEYS do
  local id = string.sub(KEYS[i], cut + 1)
  redis.call("UNLINK", KEYS[i])
  redis.call("ZREM", KEYS[1], id)
  redis.call("ZREM", KEYS[2], id)
end
return redis.call("ZRANGE", KEYS[2], 0, tonumber(ARGV[2]) - 1)
`)

/**
 * Every entry of one version of one name and its bytes, as `{member1, value1, member2, value2, ...}`,
 * in one atomic step: a consistent snapshot. KEYS[1] is the set of the name's entries, ARGV[1] the
 * name's base (an entry key is base + member), ARGV[2] what the version's members start with. It reads
 * keys that are not in KEYS, each the base and a member of KEYS[1], so all in KEYS[1]'s hash slot (what
 * a cluster allows); a member whose entry is gone (Redis expired or evicted it) is left out.
 */
export const LIST = script(`
local found = {}
local members = redis.call("ZRANGEBYLEX", KEYS[1], "[" .. ARGV[2], "(" .. ARGV[2] .. "\\255")
for i = 1, #members do
  local value = redis.call("MGET", ARGV[1] .. members[i])[1]
  if value then
    found[#found + 1] = members[i]
    found[#found + 1] = value
  end
end
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
