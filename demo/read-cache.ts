// Reads what the cache holds through the library itself: keys() per version, and getEntry() for each
// key's value and expiry. The versions listed are the unversioned space, the cache's default version
// and every version this page has used (a cache lists one version at a time).
import type { Cache } from "isocache"

/** One live entry, as the live view shows it. */
export interface StoredEntry {
  readonly version: string
  readonly key: string
  readonly value: unknown
  /** Epoch milliseconds, or `null` for never. */
  readonly expiresAt: number | null
}

const versions = new Set<string>([""])

/** Remembers a version this page used, so that the live view lists it too. */
export function noteVersion(version: string | null | undefined): void {
  if (typeof version === "string") versions.add(version)
}

/** The live entries of every version the page knows of. */
export async function readEntries(cache: Cache): Promise<StoredEntry[]> {
  const known = new Set([...versions, cache.version ?? ""])
  const found: StoredEntry[] = []
  for (const version of known) {
    const options = { version: version === "" ? null : version }
    for (const key of await cache.keys(options)) {
      const entry = await cache.getEntry(key, options)
      if (entry && !entry.stale) found.push({ version, key, value: entry.value, expiresAt: entry.expiresAt })
    }
  }
  return found
}
