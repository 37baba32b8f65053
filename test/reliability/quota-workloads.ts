// Workloads of the quota tests, run in tabs of a fresh origin whose quota the test overrides. Every
// export takes and returns JSON-serialisable values.
import { Cache, CacheError } from "../../src/index.js"

const open = (name: string): Cache => new Cache({ name, store: "indexeddb", sweepInterval: null })

/**
 * `size` pseudo-random bytes, the same for the same `seed`: incompressible (Chromium's IndexedDB
 * compresses what it stores, so repeated bytes would hardly use any quota), and checkable later.
 */
export function noise(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size)
  let x = seed * 2654435761 + 1 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  return bytes
}

const same = (a: unknown, b: Uint8Array): boolean =>
  a instanceof Uint8Array && a.length === b.length && a.every((byte, i) => byte === b[i])

export interface Failure {
  readonly name: string
  readonly code: string | null
  readonly cause: string | null
  readonly message: string
}

export function describeFailure(error: unknown): Failure {
  const cause = (error as { cause?: { name?: unknown } } | null)?.cause
  return {
    name: error instanceof Error ? error.name : String(error),
    code: error instanceof CacheError ? error.code : null,
    cause: typeof cause?.name === "string" ? cause.name : null,
    message: error instanceof Error ? error.message : String(error),
  }
}

/** Writes `fill-<i>` entries of `size` bytes one by one until a write fails (or `limit` is reached). */
export async function fillUntilRefused(
  name: string,
  size: number,
  limit: number,
): Promise<{ written: number; failure: Failure | null }> {
  const cache = open(name)
  try {
    for (let i = 0; i < limit; i++) {
      try {
        await cache.set(`fill-${i}`, noise(size, i))
      } catch (error) {
        return { written: i, failure: describeFailure(error) }
      }
    }
    return { written: limit, failure: null }
  } finally {
    await cache.disconnect()
  }
}

/** Reads `fill-<from>` … `fill-<to - 1>` back: how many are intact, and which are not. */
export async function checkFill(
  name: string,
  size: number,
  from: number,
  to: number,
): Promise<{ intact: number; damaged: string[] }> {
  const cache = open(name)
  try {
    const keys = Array.from({ length: to - from }, (_, i) => `fill-${from + i}`)
    const found = await cache.getMany(keys)
    const damaged = keys.filter((key, i) => !same(found[key], noise(size, from + i)))
    return { intact: keys.length - damaged.length, damaged }
  } finally {
    await cache.disconnect()
  }
}

/** One write of `size` bytes: did it succeed, or how did it fail? */
export async function tryWrite(name: string, key: string, size: number): Promise<Failure | "written"> {
  const cache = open(name)
  try {
    await cache.set(key, noise(size, 7))
    return same(await cache.get(key), noise(size, 7)) ? "written" : describeFailure(new Error("read back wrong"))
  } catch (error) {
    return describeFailure(error)
  } finally {
    await cache.disconnect()
  }
}

export async function deleteFill(name: string, from: number, to: number): Promise<number> {
  const cache = open(name)
  try {
    return await cache.deleteMany(Array.from({ length: to - from }, (_, i) => `fill-${from + i}`))
  } finally {
    await cache.disconnect()
  }
}

/**
 * Seeds `old-<i>` entries and one entry of `size` bytes (so one fits), then in one go (the same
 * task) a setMany of `count` entries of `size` bytes that together exceed the quota, and a
 * deleteMany of the seeded keys. Returns how each call ended.
 */
export async function batchPastQuota(
  name: string,
  count: number,
  size: number,
  seeded: number,
): Promise<{ single: Failure | "written"; setMany: Failure | "resolved"; deleteMany: Failure | number }> {
  const cache = open(name)
  try {
    await cache.setMany(Array.from({ length: seeded }, (_, i) => [`old-${i}`, { i }] as const))
    const single = await cache.set("single", noise(size, 99)).then(
      () => "written" as const,
      (error: unknown) => describeFailure(error),
    )
    const [set, removed] = await Promise.allSettled([
      cache.setMany(Array.from({ length: count }, (_, i) => [`big-${i}`, noise(size, 100 + i)] as const)),
      cache.deleteMany(Array.from({ length: seeded }, (_, i) => `old-${i}`)),
    ])
    return {
      single,
      setMany: set.status === "fulfilled" ? "resolved" : describeFailure(set.reason),
      deleteMany: removed.status === "fulfilled" ? removed.value : describeFailure(removed.reason),
    }
  } finally {
    await cache.disconnect()
  }
}

/** What another tab sees of the keys `batchPastQuota` wrote and deleted. */
export async function seenAfterBatch(
  name: string,
  count: number,
  seeded: number,
): Promise<{ big: number; old: number; single: boolean }> {
  const cache = open(name)
  try {
    const big = await cache.getMany(Array.from({ length: count }, (_, i) => `big-${i}`))
    const old = await cache.getMany(Array.from({ length: seeded }, (_, i) => `old-${i}`))
    return {
      big: Object.keys(big).length,
      old: Object.keys(old).length,
      single: (await cache.get("single")) !== undefined,
    }
  } finally {
    await cache.disconnect()
  }
}

/**
 * The same batch as a bare IndexedDB transaction, to show where the browser refuses it: how many
 * of its puts had succeeded when the transaction was aborted, and with which error.
 */
export function rawBatchPastQuota(
  databaseName: string,
  count: number,
  size: number,
): Promise<{ putsSucceeded: number; outcome: string }> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1)
    request.onupgradeneeded = () => request.result.createObjectStore("s")
    request.onerror = () => reject(request.error)
    request.onsuccess = () => {
      const db = request.result
      const tx = db.transaction("s", "readwrite")
      let putsSucceeded = 0
      for (let i = 0; i < count; i++) {
        tx.objectStore("s").put(noise(size, 500 + i), i).onsuccess = () => {
          putsSucceeded++
        }
      }
      const finish = (outcome: string): void => {
        db.close()
        resolve({ putsSucceeded, outcome })
      }
      tx.oncomplete = () => finish("committed")
      tx.onabort = () => finish(`aborted: ${tx.error?.name}`)
    }
  })
}

/**
 * Calls issued in the same task as a setMany that the quota refuses: a get, a small set, an incr,
 * a deleteMany (or, with `oneByOne`, the same calls each awaited before the next: the control).
 * Returns how each ended, and what another read sees afterwards.
 */
export async function neighboursOfRefusedBatch(
  name: string,
  count: number,
  size: number,
  oneByOne = false,
): Promise<{ outcomes: Record<string, unknown>; after: Record<string, unknown> }> {
  const cache = open(name)
  try {
    await cache.setMany({ present: "here", n: 1, doomed: "to be deleted" })
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["get", () => cache.get("present")],
      [
        "setMany (past the quota)",
        () => cache.setMany(Array.from({ length: count }, (_, i) => [`big-${i}`, noise(size, i)] as const)),
      ],
      ["set (small)", () => cache.set("small", 1)],
      ["incr", () => cache.incr("n")],
      ["deleteMany", () => cache.deleteMany(["doomed"])],
    ]
    const settled: Array<PromiseSettledResult<unknown>> = []
    if (oneByOne) for (const [, call] of calls) settled.push(...(await Promise.allSettled([call()])))
    else settled.push(...(await Promise.allSettled(calls.map(([, call]) => call()))))
    const outcomes = Object.fromEntries(
      settled.map((s, i) => [calls[i]?.[0], s.status === "fulfilled" ? s.value : describeFailure(s.reason).name]),
    )
    return { outcomes, after: await cache.getMany(["present", "small", "n", "doomed"]) }
  } finally {
    await cache.disconnect()
  }
}

/**
 * `setMany({ a, big, c })` where `big` alone is past the origin's quota, between two small writes.
 * Returns how the call failed, what another cache object then sees of the three keys (nothing, in
 * every engine), and whether the cache still writes.
 */
export async function setManyPastQuota(
  name: string,
  bigBytes: number,
): Promise<{ failure: Failure | "resolved"; seen: string[]; before: unknown; after: unknown }> {
  const cache = open(name)
  const other = open(name)
  try {
    await cache.set("before", "kept")
    const failure = await cache
      .setMany({ a: noise(1_000, 1), big: noise(bigBytes, 2), c: noise(1_000, 3) })
      .then(() => "resolved" as const, describeFailure)
    const seen = Object.keys(await other.getMany(["a", "big", "c"]))
    await cache.set("after", "written")
    return { failure, seen, before: await other.get("before"), after: await other.get("after") }
  } finally {
    await Promise.all([cache.disconnect(), other.disconnect()])
  }
}

/**
 * The same three puts in a bare IndexedDB transaction that calls commit(), as the engine reports
 * them: which requests failed, with what, and which keys the transaction left behind.
 */
export async function rawSetManyPastQuota(
  databaseName: string,
  bigBytes: number,
  abortOnError = false,
  commit = true,
): Promise<{ requests: string[]; outcome: string; left: string[] }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1)
    request.onupgradeneeded = () => request.result.createObjectStore("kv")
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    const tx = db.transaction("kv", "readwrite")
    const requests: string[] = []
    const values: Array<[string, Uint8Array]> = [
      ["a", noise(1_000, 1)],
      ["big", noise(bigBytes, 2)],
      ["c", noise(1_000, 3)],
    ]
    for (const [key, value] of values) {
      const request = tx.objectStore("kv").put(value, key)
      request.onsuccess = () => requests.push(`${key}: ok`)
      request.onerror = (event) => {
        // Left to its default (abort the transaction), as the standard has it.
        requests.push(`${key}: ${request.error?.name}`)
        if (abortOnError) {
          try {
            tx.abort()
          } catch (error) {
            requests.push(`abort() threw ${(error as Error).name}`)
          }
        }
        void event
      }
    }
    if (commit) tx.commit()
    const outcome = await new Promise<string>((resolve) => {
      tx.oncomplete = () => resolve("committed")
      tx.onabort = () => resolve(`aborted: ${tx.error?.name ?? "no error"}`)
    })
    const left = await new Promise<string[]>((resolve, reject) => {
      const request = db.transaction("kv").objectStore("kv").getAllKeys()
      request.onsuccess = () => resolve(request.result.map(String))
      request.onerror = () => reject(request.error)
    })
    return { requests, outcome, left }
  } finally {
    db.close()
  }
}

/** Which of `fill-0` … `fill-<count - 1>` are still there, and which of those are not intact. */
export async function survivors(
  name: string,
  size: number,
  count: number,
): Promise<{ present: number[]; damaged: string[] }> {
  const cache = open(name)
  try {
    const keys = Array.from({ length: count }, (_, i) => `fill-${i}`)
    const found = await cache.getMany(keys)
    const present = keys.flatMap((key, i) => (key in found ? [i] : []))
    const damaged = present.filter((i) => !same(found[`fill-${i}`], noise(size, i))).map((i) => `fill-${i}`)
    return { present, damaged }
  } finally {
    await cache.disconnect()
  }
}
