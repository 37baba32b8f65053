/// <reference types="node" />
import { Deserializer, Serializer } from "node:v8"
import { NotStorableError } from "../../errors.js"
import type { StaleWindows, StoreEntry, StoreKey } from "../../types.js"

// An entry's bytes: "IC", format 2, flags (bit 0: it expires; bit 1: it has stale windows; bit 2: the
// value is a number), expiresAt as a big-endian float64 (0 when it never expires), with stale windows
// their two lengths in ms (while revalidating, if error) as two more float64, then the value: a number
// as one more big-endian float64, anything else in V8's structured-clone format. The header lets a
// reader tell our bytes from anything else found under our keys before handing them to V8, and lets
// the Lua scripts (scripts.ts, which read this layout too) tell a live entry and add to a number
// with the same double arithmetic as JavaScript.
const MAGIC_0 = 0x49
const MAGIC_1 = 0x43
const FORMAT = 2
const EXPIRES = 1
const STALE = 2
const NUMBER = 4
const HEADER = 12
const STALE_HEADER = 28
const DOUBLE = 8

/**
 * Serialises an entry. The value goes through V8's own serializer (the base class, not
 * `v8.serialize`, whose Node subclass writes typed arrays as host objects and reads them back as views
 * into the whole input): the structured clone algorithm, as in IndexedDB, so typed arrays keep their
 * offsets and shared buffers, cycles survive, and `-0`, `NaN`, `BigInt`, `Date`, `RegExp`, `Map` and
 * `Set` come back as they went in.
 *
 * @param key - the entry's key, named in the error
 * @param entry - the entry
 * @returns its bytes
 * @throws NotStorableError for a value V8 cannot serialise (a `Blob` or `File`: Node cannot clone them
 *   synchronously, so the Redis store does not take them)
 */
export function encodeEntry(key: StoreKey, entry: StoreEntry): Buffer {
  const stale = entry.expiresAt !== null ? entry.stale : undefined
  const size = stale ? STALE_HEADER : HEADER
  if (typeof entry.value === "number") {
    const bytes = writeHeader(Buffer.allocUnsafe(size + DOUBLE), entry.expiresAt, stale, NUMBER)
    bytes.writeDoubleBE(entry.value, size)
    return bytes
  }
  const serializer = new Serializer()
  serializer.writeHeader()
  try {
    serializer.writeValue(entry.value)
  } catch (error) {
    throw new NotStorableError(key[1], "value", "not serializable for Redis (Blob and File are not supported)", {
      cause: error,
    })
  }
  const body = serializer.releaseBuffer()
  return Buffer.concat([writeHeader(Buffer.allocUnsafe(size), entry.expiresAt, stale, 0), body])
}

// Writes the header at the start of `bytes` (at least as long as the header) and returns `bytes`.
function writeHeader(bytes: Buffer, expiresAt: number | null, stale: StaleWindows | undefined, kind: number): Buffer {
  bytes[0] = MAGIC_0
  bytes[1] = MAGIC_1
  bytes[2] = FORMAT
  bytes[3] = kind | (expiresAt === null ? 0 : EXPIRES) | (stale ? STALE : 0)
  bytes.writeDoubleBE(expiresAt ?? 0, 4)
  if (stale) {
    bytes.writeDoubleBE(stale.whileRevalidate, 12)
    bytes.writeDoubleBE(stale.ifError, 20)
  }
  return bytes
}

/**
 * Reads a number that a script sent back (the new value of an `incr`): one big-endian float64.
 * @param bytes - the script's reply
 * @returns the number, or `undefined` when the reply is not 8 bytes
 */
export function decodeNumber(bytes: unknown): number | undefined {
  return Buffer.isBuffer(bytes) && bytes.length === DOUBLE ? bytes.readDoubleBE(0) : undefined
}

/**
 * Encodes a number as the scripts read one: one big-endian float64, so that every double (`-0`,
 * fractions, `NaN`) reaches Lua exactly.
 * @param value - the number
 * @returns its 8 bytes
 */
export function encodeNumber(value: number): Buffer {
  const bytes = Buffer.allocUnsafe(DOUBLE)
  bytes.writeDoubleBE(value, 0)
  return bytes
}

/**
 * Reads an entry's bytes back. Bytes that isocache did not write (another program's, a future format,
 * a truncated value) read as a miss, as malformed records do in the IndexedDB store: a cache that
 * cannot read an entry recomputes it, and the next write replaces the bytes.
 *
 * @param bytes - what `GET` returned (`null` for no key)
 * @returns the entry, or `undefined` for no key or unreadable bytes
 */
export function decodeEntry(bytes: Buffer | null): StoreEntry | undefined {
  if (bytes === null || bytes.length <= HEADER) return undefined
  if (bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1 || bytes[2] !== FORMAT) return undefined
  const flags = bytes[3] as number
  const timing = flags & ~NUMBER
  if (timing !== 0 && timing !== EXPIRES && timing !== (EXPIRES | STALE)) return undefined
  const hasStale = timing === (EXPIRES | STALE)
  const size = hasStale ? STALE_HEADER : HEADER
  const isNumber = (flags & NUMBER) !== 0
  if (isNumber ? bytes.length !== size + DOUBLE : bytes.length <= size) return undefined
  const expiresAt = timing === 0 ? null : bytes.readDoubleBE(4)
  if (expiresAt !== null && !Number.isFinite(expiresAt)) return undefined
  const stale = hasStale ? { whileRevalidate: bytes.readDoubleBE(12), ifError: bytes.readDoubleBE(20) } : undefined
  if (stale && !(stale.whileRevalidate >= 0 && stale.ifError >= 0)) return undefined
  if (isNumber) {
    const value = bytes.readDoubleBE(size)
    return stale ? { value, expiresAt, stale } : { value, expiresAt }
  }
  try {
    const deserializer = new Deserializer(bytes.subarray(size))
    deserializer.readHeader()
    const value: unknown = deserializer.readValue()
    // `undefined` is never stored, so a value that reads as undefined is not one of ours.
    if (value === undefined) return undefined
    return stale ? { value, expiresAt, stale } : { value, expiresAt }
  } catch {
    return undefined
  }
}
