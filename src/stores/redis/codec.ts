/// <reference types="node" />
import { Deserializer, Serializer } from "node:v8"
import { NotStorableError } from "../../errors.js"
import type { StoreEntry, StoreKey } from "../../types.js"

// An entry's bytes: "IC", format 1, flags (bit 0: it expires; bit 1: it has stale windows), expiresAt
// as a big-endian float64 (0 when it never expires), with stale windows their two lengths in ms
// (while revalidating, if error) as two more float64, then the value in V8's structured-clone format.
// The header lets a reader tell our bytes from anything else found under our keys before handing them
// to V8.
const MAGIC_0 = 0x49
const MAGIC_1 = 0x43
const FORMAT = 1
const EXPIRES = 1
const STALE = 2
const HEADER = 12
const STALE_HEADER = 28

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
  const stale = entry.expiresAt !== null ? entry.stale : undefined
  const header = Buffer.alloc(stale ? STALE_HEADER : HEADER)
  header[0] = MAGIC_0
  header[1] = MAGIC_1
  header[2] = FORMAT
  if (entry.expiresAt !== null) {
    header[3] = EXPIRES
    header.writeDoubleBE(entry.expiresAt, 4)
  }
  if (stale) {
    header[3] = EXPIRES | STALE
    header.writeDoubleBE(stale.whileRevalidate, 12)
    header.writeDoubleBE(stale.ifError, 20)
  }
  return Buffer.concat([header, body])
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
  const flags = bytes[3]
  if (flags !== 0 && flags !== EXPIRES && flags !== (EXPIRES | STALE)) return undefined
  const hasStale = flags === (EXPIRES | STALE)
  if (hasStale && bytes.length <= STALE_HEADER) return undefined
  const expiresAt = flags === 0 ? null : bytes.readDoubleBE(4)
  if (expiresAt !== null && !Number.isFinite(expiresAt)) return undefined
  const stale = hasStale ? { whileRevalidate: bytes.readDoubleBE(12), ifError: bytes.readDoubleBE(20) } : undefined
  if (stale && !(stale.whileRevalidate >= 0 && stale.ifError >= 0)) return undefined
  try {
    const deserializer = new Deserializer(bytes.subarray(hasStale ? STALE_HEADER : HEADER))
    deserializer.readHeader()
    const value: unknown = deserializer.readValue()
    // `undefined` is never stored, so a value that reads as undefined is not one of ours.
    if (value === undefined) return undefined
    return stale ? { value, expiresAt, stale } : { value, expiresAt }
  } catch {
    return undefined
  }
}
