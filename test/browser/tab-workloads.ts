// Workloads run in a tab: imported by the test page and, through the runInNewTab command, by a
// second tab of the same origin. Every export takes and returns JSON-serialisable values.
import { Cache } from "../../src/index.js"

const open = (name: string): Cache => new Cache({ name, store: "indexeddb", sweepInterval: null })

/** `n` concurrent incr (or decr when `delta` < 0) of `key`; returns the values each call saw. */
export async function countConcurrently(name: string, key: string, n: number, delta = 1): Promise<number[]> {
  const cache = open(name)
  try {
    return await Promise.all(
      Array.from({ length: n }, () => (delta < 0 ? cache.decr(key, -delta) : cache.incr(key, delta))),
    )
  } finally {
    await cache.disconnect()
  }
}

/** `n` concurrent add of `key`; returns how many of them stored. */
export async function addConcurrently(name: string, key: string, n: number, tab: string): Promise<number> {
  const cache = open(name)
  try {
    const results = await Promise.all(Array.from({ length: n }, (_, i) => cache.add(key, `${tab}-${i}`)))
    return results.filter(Boolean).length
  } finally {
    await cache.disconnect()
  }
}

export async function read(name: string, keys: string[]): Promise<Record<string, unknown>> {
  const cache = open(name)
  try {
    return await cache.getMany(keys)
  } finally {
    await cache.disconnect()
  }
}

export async function write(name: string, entries: Record<string, unknown>): Promise<void> {
  const cache = open(name)
  try {
    await cache.setMany(entries)
  } finally {
    await cache.disconnect()
  }
}

export async function remove(name: string, keys: string[]): Promise<number> {
  const cache = open(name)
  try {
    return await cache.deleteMany(keys)
  } finally {
    await cache.disconnect()
  }
}

export async function clear(name: string): Promise<void> {
  const cache = open(name)
  try {
    await cache.clear()
  } finally {
    await cache.disconnect()
  }
}

/** Opens the cache's database at a higher version with a plain IndexedDB call; reports if it was blocked. */
export function upgradeDatabase(name: string): Promise<{ version: number; blocked: boolean }> {
  return new Promise((resolve, reject) => {
    let blocked = false
    const probe = indexedDB.open(`isocache:${name}`)
    probe.onerror = () => reject(probe.error)
    probe.onsuccess = () => {
      const next = probe.result.version + 1
      probe.result.close()
      const request = indexedDB.open(`isocache:${name}`, next)
      request.onblocked = () => {
        blocked = true
      }
      request.onupgradeneeded = () => request.result.createObjectStore(`extra-${next}`)
      request.onerror = () => reject(request.error)
      request.onsuccess = () => {
        request.result.close()
        resolve({ version: next, blocked })
      }
    }
  })
}

/** Deletes the cache's database with a plain IndexedDB call; reports if it was blocked. */
export function deleteDatabase(name: string): Promise<{ blocked: boolean }> {
  return new Promise((resolve, reject) => {
    let blocked = false
    const request = indexedDB.deleteDatabase(`isocache:${name}`)
    request.onblocked = () => {
      blocked = true
    }
    request.onerror = () => reject(request.error)
    request.onsuccess = () => resolve({ blocked })
  })
}
